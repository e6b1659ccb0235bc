package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A batch as most programs run one: once or twice per process, cold. Each fork is a fresh JVM
 * whose pool is started (every worker ready) and has run nothing; then one
 * {@code pool.invokeAll(NoOp.class, inputs)} of {@value #INPUTS} inputs is timed, its outputs
 * checked to equal its inputs.
 *
 * <ul>
 *   <li>{@code firstBatch}: the process's first batch: nothing warmed up, in the supervisor or
 *       the workers.</li>
 *   <li>{@code secondBatch}: the second, right after the first (which runs as the one untimed
 *       warm-up iteration).</li>
 * </ul>
 * Mode is {@code SingleShotTime}: the score is the time of the one call, in milliseconds; inputs
 * per second are {@value #INPUTS} ÷ that time. Use several forks ({@code -f 10}) and read the
 * median and spread: a single shot in a fresh JVM is noisy by nature.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -DskipTests package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ColdBatchBenchmark -f 10 -rf json -rff /tmp/jmh-cold.json
 * </pre>
 * The comparison in {@code docs/BENCHMARKS.md} is Python's {@code ProcessPoolExecutor.map(f, xs,
 * chunksize=1000)} on the same machine, whose second batch of 200,000 inputs runs at about
 * 2.25 million inputs per second.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 5, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Measurement(iterations = 1, batchSize = 1)
@State(Scope.Benchmark)
public class ColdBatchBenchmark {

    /** Inputs per batch: the size people compare with Python's chunked map. */
    static final int INPUTS = 200_000;

    /** Worker JVMs. */
    @Param({"2"})
    public int workers;

    private final List<Integer> inputs = inputs();
    private WorkerPool pool;

    /** Starts the pool ({@code build()} returns once every worker is ready); runs no task. */
    @Setup(Level.Trial)
    public void start() {
        pool = WorkerPool.builder().name("bench-cold").workers(workers).build();
    }

    /** Stops the pool; no worker process outlives the trial. */
    @TearDown(Level.Trial)
    public void stop() {
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * The process's first batch.
     *
     * @return the number of outputs checked, consumed by JMH
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    @Warmup(iterations = 0)
    public int firstBatch() throws InterruptedException {
        return run();
    }

    /**
     * The process's second batch; the first is the untimed warm-up iteration.
     *
     * @return the number of outputs checked, consumed by JMH
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    @Warmup(iterations = 1, batchSize = 1)
    public int secondBatch() throws InterruptedException {
        return run();
    }

    private int run() throws InterruptedException {
        List<Integer> outputs = pool.invokeAll(NoOp.class, inputs);
        if (outputs.size() != INPUTS) {
            throw new IllegalStateException(outputs.size() + " outputs for " + INPUTS + " inputs");
        }
        for (int i = 0; i < INPUTS; i++) {
            Integer output = outputs.get(i);
            if (output == null || output != i) { // exact: a lost or reordered output shows here
                throw new IllegalStateException("output " + i + " is " + output);
            }
        }
        return INPUTS;
    }

    private static List<Integer> inputs() {
        List<Integer> inputs = new ArrayList<>(INPUTS);
        for (int i = 0; i < INPUTS; i++) {
            inputs.add(i);
        }
        return List.copyOf(inputs);
    }
}
