package io.forkpool.benchmarks;

import io.forkpool.ExitCause;
import io.forkpool.TaskOptions;
import io.forkpool.WorkerCrashedException;
import io.forkpool.WorkerPool;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * How long a pool of one worker is without a usable worker after that worker crashes: from
 * submitting a task that ends its JVM (one attempt, so it is not re-run on the replacement) to the
 * completion of the next {@link NoOp} task, which can only run on the replacement. One call
 * therefore covers: the crash itself, its detection ({@code Process.onExit()} on the supervisor
 * thread), settling the dead worker's task (its future fails with
 * {@code WorkerCrashedException}), the restart decision, spawning a JVM, its start-up to the hello
 * (class-data archive included, if one is recorded for this class path), and one round trip.
 *
 * <p>Three ways to crash, {@code @Param crash}:
 * <ul>
 *   <li>{@code halt}: {@link HaltTask} calls {@code Runtime.halt(}{@value #EXIT_CODE}{@code )}, like a
 *       task calling {@code System.exit}. HotSpot's exit first waits for threads in native code to
 *       block, up to about 300 ms for application threads, and a worker always has two (its
 *       socket reader and its lifeline on stdin), so this JVM takes about 0.3 s to die.</li>
 *   <li>{@code sigkill}: {@link KillTask} has the worker killed by SIGKILL, as a native crash or an
 *       outside kill would end it; this adds one process start ({@code kill}) in the worker, but no
 *       exit path.</li>
 *   <li>{@code outside}: the benchmark itself SIGKILLs the worker ({@code ProcessHandle.destroyForcibly})
 *       and at once submits the {@code NoOp}: the time from the kill to the replacement's answer,
 *       with no crashing task. Its split prints that whole time as the second part.</li>
 * </ul>
 * Each call checks that the crashing task's future failed with a {@link WorkerCrashedException}
 * on its first attempt, of cause {@code EXIT_CODE} and code {@value #EXIT_CODE} ({@code halt}) or
 * cause {@code SIGNAL} and code 137 ({@code sigkill}), and that the {@code NoOp} returned exactly
 * its input; anything else throws.
 *
 * <p>The restart policy must not distort this: the limit is set to 1,000,000 restarts a minute so
 * it never fails the pool, and every worker answers a task (the set-up's, then each call's
 * {@code NoOp}) before it is crashed. That matters: the policy restarts a worker that answered a
 * task at once (delay 0), but one that crashed before answering any (and had been ready less than
 * 10 s) only after a backoff of 50 ms doubling per crash in a row, up to 5 s, which would swamp
 * the figure.
 *
 * <p>At the end of the trial the benchmark prints how the measured calls split (p50 of each part):
 * submit to the failed future (the JVM's death and its detection) and from there to the
 * {@code NoOp}'s result (restart, JVM start-up, hello, round trip).
 *
 * <p>What to expect without a spare ({@code spares=0}): the second part dominated by the replacement JVM's start-up, which cannot be
 * less than a bare JVM start (about 145 ms here, see {@code PoolStartupBenchmark}), plus the
 * worker's own boot to its hello and its first task; the first part about 0.3 s for {@code halt}
 * (the JVM's exit, above) and tens of milliseconds for {@code sigkill}. The project's target is
 * p50 &le; 100 ms for the whole. With a warm spare ({@code spares=1}) the second part is the
 * spare's adoption and one round trip: no JVM starts on the path. Mode is {@code SampleTime}, so JMH prints p50 &hellip; p100 of all
 * measured calls.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -DskipTests package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CrashRecoveryBenchmark -rf json -rff /tmp/jmh-crash.json
 * </pre>
 * Add {@code -p crash=halt} or {@code -p crash=sigkill} for one way only.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 10, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 10, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class CrashRecoveryBenchmark {

    /** The halting task's exit code: not one a JVM or forkpool uses itself, so it is ours for sure. */
    static final int EXIT_CODE = 42;

    /** SIGKILL, and the exit code the JDK reports for a process it ended (128 + 9). */
    static final int SIGKILL = 9;
    static final int SIGKILL_EXIT_CODE = 128 + SIGKILL;

    /** The crashing task must not be re-run on the replacement: that would crash it too. */
    private static final TaskOptions ONE_ATTEMPT = TaskOptions.builder().maxAttempts(1).build();

    /** How long a spare is left to settle after its hello before the next crash. */
    static final long SPARE_SETTLE_MILLIS = 1_000;

    /** Most calls one trial can record; at 5 × 10 s of calls that each start a JVM, far more than enough. */
    private static final int MAX_RECORDED = 10_000;

    /** A pool of one worker that is crashed and replaced once per call. */
    @State(Scope.Benchmark)
    public static class OneWorker {

        /** How the worker is made to crash: {@code halt} or {@code sigkill}. */
        @Param({"halt", "sigkill", "outside"})
        public String crash;

        /**
         * Warm spares kept beside the worker: 0, every recovery is a JVM start-up; 1, a booted
         * spare takes the dead worker's place, and each call first waits (untimed) until the
         * spare booted behind the previous call's is ready.
         */
        @Param({"0", "1"})
        public int spares;

        WorkerPool pool;
        int next;
        boolean measuring;
        final long[] untilCrashNanos = new long[MAX_RECORDED];
        final long[] untilNextTaskNanos = new long[MAX_RECORDED];
        int recorded;

        /** Starts the worker and has it answer a task, so its first crash restarts it at once. */
        @Setup(Level.Trial)
        public void start() {
            pool = WorkerPool.builder().name("bench-crash").workers(1)
                    .restartLimit(1_000_000, Duration.ofMinutes(1)).warmSpares(spares)
                    .build();
            check(pool.submit(NoOp.class, 1).join(), 1);
        }

        /**
         * Records the split of measured calls only.
         *
         * @param iteration which kind of iteration starts
         */
        @Setup(Level.Iteration)
        public void iteration(IterationParams iteration) {
            measuring = iteration.getType() == IterationType.MEASUREMENT;
        }

        /**
         * With a spare, waits until one is booted and idle, and then {@value #SPARE_SETTLE_MILLIS} ms
         * more, outside the measured time: a crash should find a spare that has finished booting
         * (a JVM compiles for a while after its hello), as it would in a pool whose workers do not
         * die every few hundred milliseconds.
         *
         * @throws InterruptedException if interrupted while waiting
         */
        @Setup(Level.Invocation)
        public void awaitSpare() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pool.stats().sparesReady() < spares) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no spare was ready within 60 s");
                }
                Thread.sleep(1);
            }
            if (spares > 0) {
                Thread.sleep(SPARE_SETTLE_MILLIS); // the time between two crashes, not a guess at an event
            }
        }

        /** Prints the split and stops the worker; no worker process outlives the trial. */
        @TearDown(Level.Trial)
        public void stop() {
            if (recorded > 0) {
                System.out.printf("%ncrash recovery (%s, %d spare(s)) split over %d measured calls: submit -> failed future"
                        + " p50 %.1f ms, failed future -> NoOp result p50 %.1f ms%n", crash, spares, recorded,
                        medianMillis(untilCrashNanos, recorded), medianMillis(untilNextTaskNanos, recorded));
            }
            if (pool != null) {
                pool.close();
            }
        }
    }

    /**
     * Crashes the worker with a task, then runs a {@link NoOp} on its replacement.
     *
     * @param state the pool
     * @return the {@code NoOp}'s output, consumed by JMH
     */
    @Benchmark
    public Integer crashToNextTask(OneWorker state) {
        if (state.crash.equals("outside")) {
            return killFromOutside(state);
        }
        long start = System.nanoTime();
        boolean halt = state.crash.equals("halt");
        CompletableFuture<Integer> crashing = halt
                ? state.pool.submit(HaltTask.class, EXIT_CODE, ONE_ATTEMPT)
                : state.pool.submit(KillTask.class, SIGKILL, ONE_ATTEMPT);
        if (halt) {
            expectCrash(crashing, ExitCause.EXIT_CODE, EXIT_CODE);
        } else {
            expectCrash(crashing, ExitCause.SIGNAL, SIGKILL_EXIT_CODE);
        }
        long crashed = System.nanoTime();
        int input = ++state.next;
        Integer output = state.pool.submit(NoOp.class, input).join();
        long done = System.nanoTime();
        check(output, input);
        if (state.measuring && state.recorded < MAX_RECORDED) {
            state.untilCrashNanos[state.recorded] = crashed - start;
            state.untilNextTaskNanos[state.recorded] = done - crashed;
            state.recorded++;
        }
        return output;
    }

    /**
     * SIGKILLs the worker from the benchmark's thread and at once submits a {@link NoOp}: the time
     * from the kill to the answer of its replacement. The task may reach the dying worker before
     * its death is seen; then it is retried on the replacement, as any caller's task would be.
     */
    private static Integer killFromOutside(OneWorker state) {
        long pid = state.pool.stats().workers().get(0).pid();
        long start = System.nanoTime();
        if (!ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
            throw new IllegalStateException("worker " + pid + " could not be killed");
        }
        int input = ++state.next;
        Integer output = state.pool.submit(NoOp.class, input).join();
        long done = System.nanoTime();
        check(output, input);
        if (state.pool.stats().workers().get(0).pid() == pid) {
            throw new IllegalStateException("the NoOp ran on the killed worker " + pid);
        }
        if (state.measuring && state.recorded < MAX_RECORDED) {
            state.untilNextTaskNanos[state.recorded++] = done - start;
        }
        return output;
    }

    private static void expectCrash(CompletableFuture<Integer> crashing, ExitCause cause, int exitCode) {
        Throwable failure;
        try {
            Integer output = crashing.join();
            throw new IllegalStateException("the crashing task returned " + output + " instead of crashing its worker");
        } catch (CompletionException e) {
            failure = e.getCause();
        }
        if (!(failure instanceof WorkerCrashedException)) {
            throw new IllegalStateException("the crashing task failed with " + failure
                    + ", expected WorkerCrashedException", failure);
        }
        WorkerCrashedException crash = (WorkerCrashedException) failure;
        if (crash.exitCause() != cause || crash.exitCode().orElse(-1) != exitCode || crash.attempt() != 1) {
            throw new IllegalStateException("unexpected crash report: " + crash.getMessage(), crash);
        }
    }

    private static double medianMillis(long[] nanos, int count) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return sorted[count / 2] / 1e6;
    }

    private static void check(Integer output, int expected) {
        if (output == null || output != expected) {
            throw new IllegalStateException("NoOp returned " + output + ", expected " + expected);
        }
    }
}
