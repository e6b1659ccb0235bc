package io.forkpool.demo;

import io.forkpool.cluster.ClusterPool;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.time.Duration;
import java.util.List;

/**
 * Counts primes with {@link CountPrimes} tasks on a forkpool cluster: the same tasks over the same
 * ranges as {@link PoolRunner}, sent to the worker JVMs of already running nodes instead of ones
 * this JVM starts. The nodes need {@link CountPrimes} on their {@code --classpath}, e.g. primes.jar.
 */
final class ClusterRunner {

    /**
     * How long to try reaching the cluster: a mistyped address should fail a demo in seconds, not
     * after the library's default 30 s; a node that answers does so within about one.
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private ClusterRunner() {
    }

    /**
     * Connects to the cluster as a client, runs one task per range, sums the counts and closes the
     * connection; the nodes and their workers keep running.
     *
     * @param options the command line, with the cluster's addresses
     * @param ranges one task each
     * @param progress told when the cluster is reached and the tasks start, and fed the batch's progress
     * @throws io.forkpool.ForkPoolException if no node can be reached or a task fails
     */
    static RunResult run(DemoOptions options, List<Range> ranges, LiveProgress progress) throws InterruptedException {
        long start = System.nanoTime();
        try (ClusterPool pool = ClusterPool.builder().name("primes").members(options.cluster().toArray(String[]::new))
                .maxAttempts(options.maxAttempts()).connectTimeout(CONNECT_TIMEOUT).build()) {
            long ready = System.nanoTime();
            progress.clusterReady(pool::members);
            return PoolRunner.count(pool, ranges, progress, start, ready, pool::members);
        }
    }
}
