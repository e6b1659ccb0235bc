package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time to count the primes below 2,000,000 by trial division, split into 20 chunks of
 * 100,000 numbers: the pool's overhead on real, evenly split CPU work.
 *
 * <ul>
 *   <li>{@code pool}: {@code pool.invokeAll(CountPrimes.class, ranges)} on a pool of
 *       {@code workers} worker JVMs.</li>
 *   <li>{@code inProcess} (baseline): the same 20 {@link CountPrimes} calls on a
 *       {@link ForkJoinPool} of the same parallelism, in this JVM.</li>
 * </ul>
 * Both check that the count is 148,933 (the number of primes below 2,000,000, computed
 * independently with a sieve) and throw otherwise, and return it to JMH.
 *
 * <p>What to expect: the work is 20 tasks of about 10 ms each (later chunks slightly longer) and a
 * few hundred bytes of traffic, so the pool should be within a few percent of the in-process
 * baseline at the same parallelism (the performance target is pool / in-process &le; 1.05), and two
 * workers should take a little over half the time of one on a 2-core machine (the supervisor's own
 * threads and the OS share the cores). A larger gap means per-task overhead or idle workers
 * (dispatch, credits, load balance), not serialization.
 *
 * <p>Run (from the repository root, after {@code mvn -pl benchmarks package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PrimeCountBenchmark -rf json -rff /tmp/jmh-primes.json
 * </pre>
 * Add {@code -p workers=2} for one parallelism only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 3, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 3, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class PrimeCountBenchmark {

    /** Count primes below this. */
    static final long LIMIT = 2_000_000;
    /** Numbers per task. */
    static final long CHUNK = 100_000;
    /** The number of primes below {@link #LIMIT}, checked with a sieve of Eratosthenes. */
    static final long EXPECTED = 148_933;

    /** Worker JVMs for {@code pool}, threads for {@code inProcess}. */
    @Param({"1", "2"})
    public int workers;

    private final List<Range> ranges = ranges();
    private final CountPrimes task = new CountPrimes();
    private WorkerPool pool;
    private ForkJoinPool forkJoinPool;

    /**
     * Starts both pools for this parallelism and runs the whole job once on each, so that the
     * worker JVMs have loaded the classes before warm-up begins.
     *
     * @throws Exception if a pool cannot start or the count is wrong
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        forkJoinPool = new ForkJoinPool(workers);
        pool = WorkerPool.builder().name("bench-primes").workers(workers).build();
        inProcess();
        pool();
    }

    /**
     * Stops both pools; no worker process outlives the trial.
     *
     * @throws InterruptedException if interrupted while waiting for the threads
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (pool != null) {
            pool.close();
        }
        if (forkJoinPool != null) {
            forkJoinPool.shutdown();
            if (!forkJoinPool.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fork-join pool did not stop");
            }
        }
    }

    /**
     * The 20 chunks on the worker JVMs.
     *
     * @return the number of primes below 2,000,000
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    public long pool() throws InterruptedException {
        List<Long> counts = pool.invokeAll(CountPrimes.class, ranges);
        long total = 0;
        for (Long count : counts) {
            total += count;
        }
        return check(total);
    }

    /**
     * Baseline: the same 20 chunks on a fork-join pool of the same parallelism in this JVM.
     *
     * @return the number of primes below 2,000,000
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException if a chunk failed
     */
    @Benchmark
    public long inProcess() throws InterruptedException, ExecutionException {
        List<Callable<Long>> calls = new ArrayList<>(ranges.size());
        for (Range range : ranges) {
            calls.add(() -> task.execute(range));
        }
        long total = 0;
        for (Future<Long> count : forkJoinPool.invokeAll(calls)) {
            total += count.get();
        }
        return check(total);
    }

    static List<Range> ranges() {
        List<Range> ranges = new ArrayList<>();
        for (long from = 0; from < LIMIT; from += CHUNK) {
            ranges.add(new Range(from, Math.min(LIMIT, from + CHUNK)));
        }
        return List.copyOf(ranges);
    }

    private static long check(long total) {
        if (total != EXPECTED) {
            throw new IllegalStateException("counted " + total + " primes below " + LIMIT + ", expected " + EXPECTED);
        }
        return total;
    }
}
