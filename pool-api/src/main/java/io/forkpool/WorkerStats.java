package io.forkpool;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One worker slot in a {@link PoolStats} snapshot. A slot keeps its id while its process is
 * replaced; the counters cover all its processes. Immutable.
 *
 * @param workerId the slot's id within the pool, from 0; stable across restarts of the slot
 * @param pid the current worker process's id, or -1 while none is running
 * @param state the current process's state: {@code STARTING}, {@code READY}, {@code RETIRING},
 *     {@code STOPPING} or {@code DEAD}; {@code NONE} before the slot's first process exists
 * @param uptime how long the current process has been running; zero while none is
 * @param tasksCompleted tasks (inputs) this slot's processes have answered, over all its restarts
 * @param restarts how many times the slot's process was replaced
 * @param lastExitCause why the slot's previous process ended, or empty if none has
 * @param heapUsedBytes the heap in use that the worker last reported (it reports after a task, at
 *     most every 50 ms while it works), or -1 if it has not reported yet
 */
public record WorkerStats(int workerId, long pid, String state, Duration uptime, long tasksCompleted, int restarts,
        Optional<ExitCause> lastExitCause, long heapUsedBytes) {

    /**
     * Checks the fields for null; the pool creates these.
     *
     * @param workerId the slot's id
     * @param pid the current process's id, or -1
     * @param state the current process's state; not null
     * @param uptime the current process's uptime; not null
     * @param tasksCompleted tasks (inputs) answered by the slot's processes
     * @param restarts how many times the slot's process was replaced
     * @param lastExitCause why the previous process ended; not null, empty if none has
     * @param heapUsedBytes the last reported heap use, or -1
     * @throws NullPointerException if {@code state}, {@code uptime} or {@code lastExitCause} is null
     */
    public WorkerStats {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(uptime, "uptime");
        Objects.requireNonNull(lastExitCause, "lastExitCause");
    }
}
