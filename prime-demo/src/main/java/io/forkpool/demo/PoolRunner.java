package io.forkpool.demo;

import io.forkpool.TaskOptions;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerPoolBuilder;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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
            progress.batchStarted(ranges.size());
            long count = sum(pool.invokeAll(CountPrimes.class, ranges, TaskOptions.DEFAULT, progress.listener()));
            long end = System.nanoTime();
            // Before the stats: the last line shows the same figures. Before close(): stopping
            // the workers is not part of the run, and afterwards the slots no longer name their processes.
            progress.finish();
            return new RunResult(count, ranges.size(), millis(ready - start), millis(end - start),
                    Optional.of(pool.stats()), List.of());
        }
    }

    static long sum(List<Long> counts) {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
