package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many tiny tasks per second the pool gets through when it is kept full: {@value #TASKS}
 * {@link NoOp} tasks ({@code Integer} in, the same {@code Integer} out) submitted without waiting,
 * then all awaited. Unlike {@link PoolRoundTripBenchmark}, which has one task in flight and so
 * measures latency, this one keeps every worker full, so the round trips overlap and
 * what counts is the per-task work of each thread on the path (encode, queue, frame, decode,
 * complete) and how well the batches of frames amortise the wake-ups.
 *
 * <ul>
 *   <li>{@code submitOneByOne}: {@value #TASKS} calls of {@code pool.submit(NoOp.class, i)}, one
 *       future each, then every future joined and its output checked to equal its input.</li>
 *   <li>{@code submitAllBatch}: the same inputs in one {@code pool.submitAll(NoOp.class, inputs)},
 *       joined, the output list checked to equal the input list element by element.</li>
 *   <li>{@code inProcessBaseline} (baseline): the same {@value #TASKS} no-ops with
 *       {@code CompletableFuture.supplyAsync} on a fixed pool of {@code workers} threads in this
 *       JVM, then joined and checked: hand-offs only, no bytes, no process boundary.</li>
 * </ul>
 * The score is tasks per second ({@code @OperationsPerInvocation}), higher is better.
 *
 * <p>What to expect: the baseline in the millions per second. One by one, every task is still
 * encoded and decoded twice by Jackson, crosses a socket twice and completes its own future, with
 * the supervisor's threads and the workers sharing two cores; what keeps the rate up is that each
 * worker holds about a millisecond of tasks (the adaptive depth, hundreds of no-ops) and receives
 * and answers them many frames to a write. The batch call also cuts the inputs into BATCH frames
 * of about a millisecond of work each, so a chunk of hundreds of inputs costs one frame, one
 * future and one JSON parse on each side: expect it several times faster than one by one. The
 * project's targets are &ge; 500,000 tasks/s one by one and &ge; 2,000,000 tasks/s in a batch;
 * compare with the baseline of the same run.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -DskipTests package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TinyTaskThroughputBenchmark -rf json -rff /tmp/jmh-throughput.json
 * </pre>
 * Add {@code -p tasksInFlightPerWorker=2} to see the pool with the fixed window it had before the
 * depth became adaptive, and {@code -p recordLatencies=true,false} to see what recording the
 * latency histograms of {@code stats()} costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 5, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class TinyTaskThroughputBenchmark {

    /**
     * Tasks per benchmark call. A constant, not a {@code @Param}: {@code @OperationsPerInvocation}
     * takes only a compile-time constant, and a parameter that could differ from it would make
     * JMH report a wrong rate without any warning.
     */
    static final int TASKS = 100_000;

    /** Worker JVMs for the pool, threads for the baseline. */
    @Param({"2"})
    public int workers;

    /**
     * The tasks a worker may hold; 0, the library's default, is adaptive (about a millisecond of
     * work). A fixed small window bounds the rate at about
     * {@code workers × tasksInFlightPerWorker / round-trip time}, since a worker that answered its
     * window idles for a round trip.
     */
    @Param({"0"})
    public int tasksInFlightPerWorker;

    /**
     * Whether the pool records latency histograms for its stats (the default). Run with
     * {@code -p recordLatencies=true,false} to see what recording costs the hot path.
     */
    @Param({"true"})
    public boolean recordLatencies;

    /** The inputs 0 … TASKS-1, boxed once so that boxing is not timed. */
    private final List<Integer> inputs = inputs();
    private final NoOp task = new NoOp();
    private WorkerPool pool;
    private ExecutorService executor;

    /**
     * Starts the pool and the baseline's threads and runs one task on each, so that no worker is
     * still starting when warm-up begins.
     */
    @Setup(Level.Trial)
    public void start() {
        pool = WorkerPool.builder().name("bench-throughput").workers(workers)
                .tasksInFlightPerWorker(tasksInFlightPerWorker).recordLatencies(recordLatencies).build();
        executor = Executors.newFixedThreadPool(workers);
        check(pool.submit(NoOp.class, 1).join(), 1);
        check(CompletableFuture.supplyAsync(() -> task.execute(1), executor).join(), 1);
    }

    /**
     * Stops the pool and the threads; no worker process outlives the trial.
     *
     * @throws InterruptedException if interrupted while waiting for the threads
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (pool != null) {
            pool.close();
        }
        if (executor != null) {
            executor.shutdown();
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("executor did not stop");
            }
        }
    }

    /**
     * {@value #TASKS} separate {@code submit} calls, none waiting for the previous one, then every
     * future joined.
     *
     * @return the number of tasks checked, consumed by JMH
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int submitOneByOne() {
        List<CompletableFuture<Integer>> futures = new ArrayList<>(TASKS);
        for (Integer input : inputs) {
            futures.add(pool.submit(NoOp.class, input));
        }
        return checkAll(futures);
    }

    /**
     * The same {@value #TASKS} inputs in one {@code submitAll} call.
     *
     * @return the number of tasks checked, consumed by JMH
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int submitAllBatch() {
        List<Integer> outputs = pool.submitAll(NoOp.class, inputs).join();
        if (outputs.size() != TASKS) {
            throw new IllegalStateException(outputs.size() + " outputs for " + TASKS + " inputs");
        }
        for (int i = 0; i < TASKS; i++) {
            check(outputs.get(i), i);
        }
        return TASKS;
    }

    /**
     * Baseline: the same {@value #TASKS} no-ops handed to {@code workers} threads of this JVM.
     *
     * @return the number of tasks checked, consumed by JMH
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int inProcessBaseline() {
        List<CompletableFuture<Integer>> futures = new ArrayList<>(TASKS);
        for (Integer input : inputs) {
            futures.add(CompletableFuture.supplyAsync(() -> task.execute(input), executor));
        }
        return checkAll(futures);
    }

    private static int checkAll(List<CompletableFuture<Integer>> futures) {
        for (int i = 0; i < futures.size(); i++) {
            check(futures.get(i).join(), i);
        }
        return futures.size();
    }

    private static List<Integer> inputs() {
        List<Integer> inputs = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            inputs.add(i);
        }
        return List.copyOf(inputs);
    }

    private static void check(Integer output, int expected) {
        // Exact: a lost, duplicated or reordered reply would show up as a wrong value here.
        if (output == null || output != expected) {
            throw new IllegalStateException("NoOp returned " + output + ", expected " + expected);
        }
    }
}
