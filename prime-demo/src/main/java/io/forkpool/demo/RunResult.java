package io.forkpool.demo;

import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import io.forkpool.cluster.MemberStats;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run measured.
 *
 * @param count the primes found
 * @param tasks the tasks run
 * @param readyMillis from the builder call to a ready pool (in a cluster, to a connected client); 0 in-process
 * @param wallMillis from before the pool was built to after the count
 * @param stats the pool's stats, taken after the count and before the pool closed; empty in-process
 * @param members the cluster's members as the pool saw them, taken with the stats, members that
 *     left during the run included; empty unless in cluster mode
 */
record RunResult(long count, int tasks, long readyMillis, long wallMillis, Optional<PoolStats> stats,
        List<MemberStats> members) {

    /** Checks for null and copies the members. */
    RunResult {
        Objects.requireNonNull(stats, "stats");
        members = List.copyOf(members);
    }

    /** @return the worker JVMs of the cluster's members, as each last reported; 0 unless in cluster mode */
    int memberWorkers() {
        return members.stream().mapToInt(MemberStats::workers).sum();
    }

    /** @return the worker processes at the end of the run, in worker-id order; empty in-process and in a cluster */
    List<Long> workerPids() {
        return workers().stream().map(WorkerStats::pid).toList();
    }

    /** @return the tasks each worker slot completed over all its processes, matching {@link #workerPids()} */
    List<Long> tasksPerWorker() {
        return workers().stream().map(WorkerStats::tasksCompleted).toList();
    }

    /** @return workers started to replace ones that died; 0 in-process, and in a cluster (the members count theirs) */
    long restarts() {
        return stats.map(PoolStats::workerRestarts).orElse(0L);
    }

    private List<WorkerStats> workers() {
        return stats.map(PoolStats::workers).orElse(List.of());
    }
}
