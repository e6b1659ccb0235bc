package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import io.forkpool.testsupport.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * How long a pool of two workers takes to become ready, from the builder call in a fresh JVM:
 * every fork is a new JVM and measures exactly one {@code build()}, so the supervisor's own class
 * loading counts, as it does for a user.
 *
 * <ul>
 *   <li>{@code poolReady} with {@code archive=none}: workers start without a class-data sharing
 *       archive (the JDK's default CDS only).</li>
 *   <li>{@code poolReady} with {@code archive=recorded}: the pool's AppCDS archive for this class
 *       path was recorded beforehand (by a separate JVM, so this one stays fresh).</li>
 *   <li>{@code bareJvm} (baseline): starting a JVM with the workers' options that runs an empty
 *       {@code main} and waiting for it to exit: the floor for any process-based pool.</li>
 * </ul>
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -DskipTests package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PoolStartupBenchmark -rf json -rff /tmp/jmh-startup.json
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 10, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class PoolStartupBenchmark {

    /** The baseline's command, built before anything is timed. */
    private static final List<String> BARE_JVM = ChildJvm.mainClass(Empty.class)
            .jvmOptions(WorkerPool.builder().options().jvmOptions()).command();

    /** Where the recorded archive lives, shared by all forks of a run. */
    private static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "forkpool-startup-benchmark");

    /** The pool under test and its archive setting. */
    @State(Scope.Benchmark)
    public static class Pool {

        @Param({"none", "recorded"})
        String archive;

        WorkerPool pool;

        /**
         * Makes sure the archive exists, recording it in a separate JVM so this one stays fresh.
         *
         * @throws Exception if the recording JVM cannot be run or fails
         */
        @Setup(Level.Trial)
        public void prepare() throws Exception {
            if (archive.equals("recorded") && !hasArchive()) {
                Process recorder = new ProcessBuilder(ChildJvm.mainClass(RecordArchive.class).args(CACHE.toString()).command())
                        .inheritIO().start();
                if (!recorder.waitFor(120, TimeUnit.SECONDS) || recorder.exitValue() != 0) {
                    recorder.destroyForcibly();
                    throw new IllegalStateException("could not record the archive in " + CACHE);
                }
            }
        }

        /** Closes the pool the measured call started. */
        @TearDown(Level.Iteration)
        public void close() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** Builds one pool with the archive cache and waits for its archive; run in its own JVM. */
    public static final class RecordArchive {

        private RecordArchive() {
        }

        /**
         * Records the archive.
         *
         * @param args the cache directory
         * @throws Exception if it does not appear within a minute
         */
        public static void main(String[] args) throws Exception {
            try (WorkerPool pool = WorkerPool.builder().workers(1).classDataCache(Path.of(args[0])).build()) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (!hasArchive() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            System.exit(hasArchive() ? 0 : 1);
        }
    }

    /** An empty program: the bare-JVM baseline runs it. */
    public static final class Empty {

        private Empty() {
        }

        /**
         * Does nothing.
         *
         * @param args ignored
         */
        public static void main(String[] args) {
        }
    }

    private static boolean hasArchive() throws IOException {
        if (!Files.isDirectory(CACHE)) {
            return false;
        }
        try (Stream<Path> files = Files.list(CACHE)) {
            List<Path> all = files.toList();
            return all.stream().anyMatch(p -> p.toString().endsWith(".jsa"))
                    && all.stream().noneMatch(p -> p.toString().endsWith(".lock"));
        }
    }


    /**
     * Builds a pool of two workers and returns once both have said hello.
     *
     * @param state the pool and its archive setting
     * @return the pool, closed after the measurement
     */
    @Benchmark
    public WorkerPool poolReady(Pool state) {
        state.pool = WorkerPool.builder().workers(2)
                .classDataCache(state.archive.equals("recorded") ? CACHE : null)
                .build();
        return state.pool;
    }

    /**
     * Starts a JVM with the workers' default options that runs an empty {@code main}, and waits
     * for it to exit.
     *
     * @return its exit code
     * @throws Exception if it cannot be started
     */
    @Benchmark
    public int bareJvm() throws Exception {
        return new ProcessBuilder(BARE_JVM).inheritIO().start().waitFor();
    }
}
