package io.forkpool;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a pool, taken by {@link WorkerPool#stats()}: its workers, what became of the tasks
 * submitted so far, and how long they took. Counters are monotonic and count the inputs of a batch
 * one by one; each is read on its own, so a snapshot taken while tasks complete may be a few
 * tasks apart between counters (taken after the tasks' futures completed, it is exact).
 *
 * <p>Every completed task is counted in exactly one of {@code succeeded}, {@code failed},
 * {@code timedOut} and {@code cancelled}. When one input of a chunk of a batch fails, the inputs
 * of the chunk before it ran and count as succeeded (their outputs go down with the failed batch),
 * it counts as failed, and those after it, which never ran, as cancelled.
 *
 * <p>Immutable; the latency figures are {@link LatencyStats#EMPTY} when the pool records none
 * ({@link WorkerPoolBuilder#recordLatencies(boolean)}).
 *
 * @param name the pool's name
 * @param workers one entry per worker slot, in worker-id order
 * @param submitted tasks accepted by {@code submit} or a batch call since the pool started
 * @param succeeded tasks completed with an output
 * @param failed tasks completed with an exception other than a timeout or a cancellation: a
 *     {@link TaskFailedException}, a {@link WorkerCrashedException} (or {@link PoisonTaskException}),
 *     a {@link PoolFailedException}, or a {@link TaskDataException} for an input or output that
 *     could not cross
 * @param timedOut tasks completed with a {@link TaskTimeoutException}
 * @param cancelled tasks completed with a cancellation, by their caller or by a closing pool
 * @param retried attempts started again because a worker died running them (a chunk of a batch
 *     counts each of its inputs)
 * @param workerExits how many worker processes ended, by cause; every cause is a key. The causes
 *     for which {@link ExitCause#isCrash()} holds are crashes, see {@link #crashes()}
 * @param workerRestarts workers started to replace ones that died or were retired
 * @param queued tasks waiting in the pool's queue for a worker at the time of the snapshot, a batch's
 *     inputs counted one by one (tasks a worker has received but not started are not queued)
 * @param queueWait from {@code submit} until the task was written to the worker that answered it
 * @param execution how long the task was its worker's running task, seen from the supervisor:
 *     from when the worker could start it (it had arrived and the task before it was answered)
 *     until its reply was read
 * @param roundTrip from {@code submit} until its reply was read: what a caller waits for
 * @param sparesReady warm spares booted and idle at the time of the snapshot
 *     ({@link WorkerPoolBuilder#warmSpares(int)}); they are not among {@code workers}
 */
public record PoolStats(String name, List<WorkerStats> workers, long submitted, long succeeded, long failed,
        long timedOut, long cancelled, long retried, Map<ExitCause, Long> workerExits, long workerRestarts,
        long queued, LatencyStats queueWait, LatencyStats execution, LatencyStats roundTrip, int sparesReady) {

    /**
     * Checks the fields for null and copies the collections; the pool creates these.
     *
     * @param name not null
     * @param workers not null; copied
     * @param submitted tasks accepted so far
     * @param succeeded tasks completed with an output
     * @param failed tasks completed with a failure other than a timeout or a cancellation
     * @param timedOut tasks completed with a {@link TaskTimeoutException}
     * @param cancelled tasks completed with a cancellation
     * @param retried attempts started again
     * @param workerExits not null; copied, a cause missing from it counting 0
     * @param workerRestarts workers started as replacements
     * @param queued entries waiting in the queue
     * @param queueWait not null
     * @param execution not null
     * @param roundTrip not null
     * @param sparesReady idle warm spares
     * @throws NullPointerException if an argument said not null is null
     */
    public PoolStats {
        Objects.requireNonNull(name, "name");
        workers = List.copyOf(Objects.requireNonNull(workers, "workers"));
        EnumMap<ExitCause, Long> exits = new EnumMap<>(ExitCause.class);
        for (ExitCause cause : ExitCause.values()) {
            exits.put(cause, Objects.requireNonNull(workerExits, "workerExits").getOrDefault(cause, 0L));
        }
        workerExits = Collections.unmodifiableMap(exits);
        Objects.requireNonNull(queueWait, "queueWait");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(roundTrip, "roundTrip");
    }

    /**
     * A snapshot of a pool that keeps no warm spares.
     *
     * @param name not null
     * @param workers not null; copied
     * @param submitted tasks accepted so far
     * @param succeeded tasks completed with an output
     * @param failed tasks completed with a failure other than a timeout or a cancellation
     * @param timedOut tasks completed with a {@link TaskTimeoutException}
     * @param cancelled tasks completed with a cancellation
     * @param retried attempts started again
     * @param workerExits not null; copied, a cause missing from it counting 0
     * @param workerRestarts workers started as replacements
     * @param queued entries waiting in the queue
     * @param queueWait not null
     * @param execution not null
     * @param roundTrip not null
     */
    public PoolStats(String name, List<WorkerStats> workers, long submitted, long succeeded, long failed,
            long timedOut, long cancelled, long retried, Map<ExitCause, Long> workerExits, long workerRestarts,
            long queued, LatencyStats queueWait, LatencyStats execution, LatencyStats roundTrip) {
        this(name, workers, submitted, succeeded, failed, timedOut, cancelled, retried, workerExits, workerRestarts,
                queued, queueWait, execution, roundTrip, 0);
    }

    /** @return tasks completed in any way: succeeded, failed, timed out or cancelled */
    public long completed() {
        return succeeded + failed + timedOut + cancelled;
    }

    /** @return worker processes that crashed: the sum of {@code workerExits} over causes that are crashes */
    public long crashes() {
        long crashes = 0;
        for (Map.Entry<ExitCause, Long> exit : workerExits.entrySet()) {
            if (exit.getKey().isCrash()) {
                crashes += exit.getValue();
            }
        }
        return crashes;
    }

    /** @return how many worker slots have a running process */
    public int workersAlive() {
        int alive = 0;
        for (WorkerStats worker : workers) {
            if (worker.pid() != -1) {
                alive++;
            }
        }
        return alive;
    }
}
