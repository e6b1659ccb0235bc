package io.forkpool.demo;

import java.util.List;

/**
 * What one run measured.
 *
 * @param count the primes found
 * @param tasks the tasks run
 * @param readyMillis from the builder call to a ready pool; 0 in-process
 * @param wallMillis from before the pool was built to after the count
 * @param workerPids the worker processes, in worker-id order; empty in-process
 * @param tasksPerWorker the tasks each worker completed, matching {@code workerPids}
 * @param restarts workers started to replace ones that died
 */
record RunResult(long count, int tasks, long readyMillis, long wallMillis, List<Long> workerPids,
        List<Long> tasksPerWorker, long restarts) {

    /** Copies the lists. */
    RunResult {
        workerPids = List.copyOf(workerPids);
        tasksPerWorker = List.copyOf(tasksPerWorker);
    }
}
