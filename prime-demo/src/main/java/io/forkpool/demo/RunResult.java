package io.forkpool.demo;

import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run measured.
 *
 * @param count the primes found
 * @param tasks the tasks run
 * @param readyMillis from the builder call to a ready pool; 0 in-process
 * @param wallMillis from before the pool was built to after the count
 * @param stats the pool's stats, taken after the count and before the pool closed; empty in-process
 */
record RunResult(long count, int tasks, long readyMillis, long wallMillis, Optional<PoolStats> stats) {

    /** Checks for null. */
    RunResult {
        Objects.requireNonNull(stats, "stats");
    }

    /** @return the worker processes at the end of the run, in worker-id order; empty in-process */
    List<Long> workerPids() {
        return workers().stream().map(WorkerStats::pid).toList();
    }

    /** @return the tasks each worker slot completed over all its processes, matching {@link #workerPids()} */
    List<Long> tasksPerWorker() {
        return workers().stream().map(WorkerStats::tasksCompleted).toList();
    }

    /** @return workers started to replace ones that died; 0 in-process */
    long restarts() {
        return stats.map(PoolStats::workerRestarts).orElse(0L);
    }

    private List<WorkerStats> workers() {
        return stats.map(PoolStats::workers).orElse(List.of());
    }
}
