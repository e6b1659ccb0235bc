package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tiny tasks on a pool of two Python reference workers: {@code CountPrimes} over ranges of ten
 * numbers, submitted one by one and then through {@code invokeAll}, whose inputs travel in BATCH
 * chunks. Shows what chunking buys a worker whose per-task cost is an interpreter's, and checks
 * both results against each other (the primes below 10 × tasks).
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -DskipTests package}; needs python3):
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.forkpool.benchmarks.PythonWorkerThroughput \
 *     worker-python/src/main/python/forkpool_worker.py 20000
 * </pre>
 * Prints one line per round (three rounds, the first includes the workers' warm-up).
 */
public final class PythonWorkerThroughput {

    private PythonWorkerThroughput() {
    }

    /**
     * Runs the three rounds.
     *
     * @param args the Python worker script, and the number of tasks per round
     * @throws InterruptedException if interrupted while waiting for results
     */
    public static void main(String[] args) throws InterruptedException {
        String script = args[0];
        int tasks = Integer.parseInt(args[1]);
        List<Range> ranges = new ArrayList<>(tasks);
        for (long from = 0; from < 10L * tasks; from += 10) {
            ranges.add(new Range(from, from + 10));
        }
        try (WorkerPool pool = WorkerPool.builder().name("bench-python").workers(2)
                .workerCommand("python3", script).build()) {
            for (int round = 1; round <= 3; round++) {
                long start = System.nanoTime();
                List<CompletableFuture<Long>> futures = new ArrayList<>(tasks);
                for (Range range : ranges) {
                    futures.add(pool.submit(CountPrimes.class, range));
                }
                long oneByOne = 0;
                for (CompletableFuture<Long> future : futures) {
                    oneByOne += future.join();
                }
                long middle = System.nanoTime();
                long batched = pool.invokeAll(CountPrimes.class, ranges).stream().mapToLong(Long::longValue).sum();
                long end = System.nanoTime();
                if (oneByOne != batched) {
                    throw new AssertionError("one by one counted " + oneByOne + ", the batch " + batched);
                }
                System.out.printf("round %d, %d tasks, 2 Python workers: one by one %,.0f tasks/s, batch %,.0f tasks/s"
                        + " (primes below %,d: %,d)%n", round, tasks, tasks / ((middle - start) / 1e9),
                        tasks / ((end - middle) / 1e9), 10L * tasks, batched);
            }
        }
    }
}
