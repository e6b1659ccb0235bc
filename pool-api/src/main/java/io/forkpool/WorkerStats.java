package io.forkpool;

import java.util.Objects;

/**
 * One worker slot in a {@link PoolStats} snapshot.
 *
 * @param workerId the slot's id within the pool, from 0; stable across restarts of the slot
 * @param pid the current worker process's id, or -1 while none is running
 * @param state the slot's state, e.g. {@code STARTING}, {@code READY}, {@code DEAD}
 * @param tasksCompleted tasks this slot's processes have answered, over all its restarts
 * @param restarts how many times the slot's process was replaced
 */
public record WorkerStats(int workerId, long pid, String state, long tasksCompleted, int restarts) {

    /** Validates the fields. */
    public WorkerStats {
        Objects.requireNonNull(state, "state");
    }
}
