package io.forkpool.demo;

import io.forkpool.TaskOptions;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerPoolBuilder;
import io.forkpool.cluster.MemberStats;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Counts primes with {@link CountPrimes} tasks on a pool of worker JVMs. */
final class PoolRunner {

    private PoolRunner() {
    }

    /**
     * Builds a pool, runs one task per range, sums the counts and closes the pool, which waits
     * for every worker process to exit.
     *
     * @param options the command line
     * @param ranges one task each
     * @param progress told when the pool is ready and the tasks start, and fed the batch's progress
     * @throws io.forkpool.ForkPoolException if the pool cannot start or a task fails
     */
    static RunResult run(DemoOptions options, List<Range> ranges, LiveProgress progress) throws InterruptedException {
        long start = System.nanoTime();
        WorkerPoolBuilder builder = WorkerPool.builder().name("primes").workers(options.workers())
                .maxAttempts(options.maxAttempts());
        options.java().ifPresent(builder::javaExecutable);
        try (WorkerPool pool = builder.build()) {
            long ready = System.nanoTime();
            progress.poolReady(pool::stats);
            return count(pool, ranges, progress, start, ready, List::of);
        }
    }

    /**
     * Runs one task per range on a pool that is ready, sums the counts and takes the figures of
     * the run; the pool stays open. Shared by the local pool and the cluster.
     *
     * @param start when the run started, by {@link System#nanoTime()}
     * @param ready when the pool became ready
     * @param members the cluster's members once the tasks are done, or none
     */
    static RunResult count(WorkerPool pool, List<Range> ranges, LiveProgress progress, long start, long ready,
            Supplier<List<MemberStats>> members) throws InterruptedException {
        progress.batchStarted(ranges.size());
        long count = pool.invokeAll(CountPrimes.class, ranges, TaskOptions.DEFAULT, progress.listener()).stream()
                .mapToLong(Long::longValue).sum();
        long end = System.nanoTime();
        // Before the stats: the last line shows the same figures. Before close(): stopping the
        // workers (or leaving the cluster) is not part of the run, and afterwards the slots no
        // longer name their processes.
        progress.finish();
        return new RunResult(count, ranges.size(), millis(ready - start), millis(end - start), Optional.of(pool.stats()),
                members.get());
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
