package io.forkpool.benchmarks;

import io.forkpool.PoolStats;
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
 * What one {@code pool.stats()} call costs a caller that polls it, as a progress bar or the JMX
 * MXBean does: the counters, one entry per worker, and the three latency histograms drained from
 * each worker process and read at five percentiles. The pool has answered 200,000 tasks first, so
 * the histograms span real values; the pool is idle while the snapshot is timed.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -DskipTests package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar StatsSnapshotBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class StatsSnapshotBenchmark {

    /** Worker JVMs in the pool: one entry each in the snapshot. */
    @Param({"2"})
    public int workers;

    private WorkerPool pool;

    /** Starts the pool and has it answer 200,000 tasks so that every histogram holds values. */
    @Setup(Level.Trial)
    public void start() {
        pool = WorkerPool.builder().name("bench-stats").workers(workers).build();
        List<Integer> inputs = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            inputs.add(i);
        }
        for (int round = 0; round < 200; round++) {
            pool.submitAll(NoOp.class, inputs).join();
        }
        if (pool.stats().roundTrip().count() != 200_000) {
            throw new IllegalStateException("expected 200,000 recorded tasks: " + pool.stats());
        }
    }

    /** Stops the pool; no worker outlives the trial. */
    @TearDown(Level.Trial)
    public void stop() {
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * One snapshot.
     *
     * @return the snapshot, consumed by JMH
     */
    @Benchmark
    public PoolStats stats() {
        return pool.stats();
    }
}
