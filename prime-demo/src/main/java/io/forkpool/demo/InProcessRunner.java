package io.forkpool.demo;

import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * The baseline: the same {@link CountPrimes} tasks over the same ranges, on a
 * {@link ForkJoinPool} of threads inside this JVM, so the pool's cost (start-up, encoding,
 * sockets) shows as the difference between the two wall times.
 */
final class InProcessRunner {

    private InProcessRunner() {
    }

    /**
     * Runs one task per range on {@code options.workers()} threads and sums the counts.
     *
     * @param options the command line
     * @param ranges one task each
     * @param progress told when the tasks start and as each completes
     * @return the count; no pool stats, as there is no pool
     * @throws ExecutionException if a task threw; its cause is the task's exception
     */
    static RunResult run(DemoOptions options, List<Range> ranges, LiveProgress progress)
            throws InterruptedException, ExecutionException {
        long start = System.nanoTime();
        ForkJoinPool threads = new ForkJoinPool(options.workers());
        try {
            // One instance for all threads, as a worker reuses one: CountPrimes keeps no state.
            CountPrimes task = new CountPrimes();
            List<Future<Long>> futures = new ArrayList<>(ranges.size());
            progress.batchStarted(ranges.size());
            for (Range range : ranges) {
                futures.add(threads.submit(() -> {
                    long primes = task.execute(range);
                    progress.taskDone();
                    return primes;
                }));
            }
            long count = 0;
            for (Future<Long> future : futures) {
                count += future.get();
            }
            long end = System.nanoTime();
            progress.finish();
            return new RunResult(count, ranges.size(), 0, PoolRunner.millis(end - start), Optional.empty(),
                    List.of());
        } finally {
            threads.shutdownNow();
        }
    }
}
