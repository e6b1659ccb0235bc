package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import io.forkpool.testsupport.ChildJvm;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency of one task that does nothing, one in flight at a time: what the pool costs per
 * task when the task itself is free.
 *
 * <ul>
 *   <li>{@code roundTrip}: {@code pool.submit(NoOp.class, 1).join()} on a pool of one worker JVM.
 *       The path is: encode the input (Jackson) on the caller, queue, wake the worker's sender
 *       thread, write a frame to the Unix socket, wake the worker's reader thread, hand to its task
 *       thread, decode, run, encode, write the reply, wake the supervisor's io thread, decode,
 *       complete the future, wake the caller: five thread wake-ups and two socket writes.</li>
 *   <li>{@code rawEchoFloor} (floor): a 4-byte frame through a pipe to another JVM
 *       ({@link FramedEcho}) and back with a bare {@code DataOutputStream}, one thread on each side:
 *       the least any process pool can cost per round trip on this machine.</li>
 *   <li>{@code inProcessRoundTrip} (baseline): the same {@link NoOp} run on a single-thread
 *       {@link ExecutorService} with {@code CompletableFuture.supplyAsync(..).join()}: two thread
 *       wake-ups, no bytes, no process boundary. The floor any hand-off design can reach.</li>
 * </ul>
 *
 * <p>What to expect: the baseline in single-digit to low tens of microseconds (a park/unpark each
 * way); the pool several times that, dominated by the wake-ups rather than by the bytes, with a
 * longer tail on a busy machine since every hop can be descheduled. The performance target for the
 * pool is p50 &le; 20 &micro;s and p99 &le; 40 &micro;s. Mode is {@code SampleTime}, so JMH prints
 * the percentiles p50 &hellip; p99.99 and max; compare the pool with the baseline of the same run.
 *
 * <p>Run (from the repository root, after {@code mvn -pl benchmarks package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PoolRoundTripBenchmark -rf json -rff /tmp/jmh-roundtrip.json
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class PoolRoundTripBenchmark {

    /** A pool of one worker JVM, started once per trial; only {@code roundTrip} uses it. */
    @State(Scope.Benchmark)
    public static class OneWorker {

        WorkerPool pool;

        /** Starts the worker and runs one task, so class loading in the worker is not timed. */
        @Setup(Level.Trial)
        public void start() {
            pool = WorkerPool.builder().name("bench-roundtrip").workers(1).build();
            check(pool.submit(NoOp.class, 1).join());
        }

        /** Stops the worker; no worker process outlives the trial. */
        @TearDown(Level.Trial)
        public void stop() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /**
     * A second JVM running {@link FramedEcho}, reached through its standard input and output;
     * only {@code rawEchoFloor} uses it.
     */
    @State(Scope.Benchmark)
    public static class EchoPeer {

        Process process;
        DataOutputStream out;
        DataInputStream in;
        final byte[] frame = {0, 0, 0, 1};
        final byte[] reply = new byte[4];

        /**
         * Starts the echo JVM with the workers' default options and checks one round trip.
         *
         * @throws IOException if the JVM cannot be started or the pipe fails
         */
        @Setup(Level.Trial)
        public void start() throws IOException {
            // Started exactly like a worker: the pool's default worker JVM options.
            process = new ProcessBuilder(ChildJvm.mainClass(FramedEcho.class)
                    .jvmOptions(WorkerPool.builder().options().jvmOptions()).command())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
            in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
            if (echo(this) != 1) {
                throw new IllegalStateException("the echo did not echo");
            }
        }

        /**
         * Ends the echo JVM by closing its input; no process outlives the trial.
         *
         * @throws InterruptedException if interrupted while waiting for it to exit
         * @throws IOException if closing its input fails
         */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException, IOException {
            out.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** One platform thread, started once per trial; only {@code inProcessRoundTrip} uses it. */
    @State(Scope.Benchmark)
    public static class OneThread {

        final NoOp task = new NoOp();
        ExecutorService executor;

        /** Starts the thread. */
        @Setup(Level.Trial)
        public void start() {
            executor = Executors.newSingleThreadExecutor();
            check(CompletableFuture.supplyAsync(() -> task.execute(1), executor).join());
        }

        /**
         * Stops the thread.
         *
         * @throws InterruptedException if interrupted while waiting for it
         */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            executor.shutdown();
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("executor did not stop");
            }
        }
    }

    /**
     * One no-op task through the worker JVM and back.
     *
     * @param state the pool
     * @return the task's output, consumed by JMH
     */
    @Benchmark
    public Integer roundTrip(OneWorker state) {
        return state.pool.submit(NoOp.class, 1).join();
    }

    /**
     * Baseline: the same task through another thread of this JVM and back.
     *
     * @param state the executor
     * @return the task's output, consumed by JMH
     */
    @Benchmark
    public Integer inProcessRoundTrip(OneThread state) {
        return CompletableFuture.supplyAsync(() -> state.task.execute(1), state.executor).join();
    }

    /**
     * Floor: a 4-byte frame to another JVM over a pipe and back, with a bare
     * {@code DataOutputStream}: what a minimal hand-written process pool could do, with none of
     * forkpool's safety or conveniences. The pool's round trip is compared with it.
     *
     * @param state the echo JVM
     * @return the echoed value, consumed by JMH
     * @throws IOException if the pipe fails
     */
    @Benchmark
    public int rawEchoFloor(EchoPeer state) throws IOException {
        return echo(state);
    }

    private static int echo(EchoPeer state) throws IOException {
        state.out.writeInt(state.frame.length);
        state.out.write(state.frame);
        state.out.flush();
        int length = state.in.readInt();
        state.in.readFully(state.reply, 0, length);
        return state.reply[3];
    }

    private static void check(Integer output) {
        if (output == null || output != 1) {
            throw new IllegalStateException("NoOp returned " + output + ", expected 1");
        }
    }
}
