package io.forkpool;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a pool, taken by {@link WorkerPool#stats()}.
 *
 * @param workers one entry per worker slot, in worker-id order
 * @param submitted tasks accepted by {@code submit} since the pool started
 * @param succeeded tasks completed with an output
 * @param failed tasks completed with a {@link TaskFailedException} or {@link WorkerCrashedException}
 * @param cancelled tasks completed with a cancellation
 * @param queued tasks waiting for a worker at the time of the snapshot
 * @param workerRestarts workers started to replace ones that died
 */
public record PoolStats(List<WorkerStats> workers, long submitted, long succeeded, long failed,
        long cancelled, long queued, long workerRestarts) {

    /** Validates and copies the worker list. */
    public PoolStats {
        workers = List.copyOf(Objects.requireNonNull(workers, "workers"));
    }
}
