package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.WorkerPool;
import io.forkpool.WorkerPoolBuilder;
import io.forkpool.WorkerStats;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import io.forkpool.internal.worker.ArchiveRecorder;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers' AppCDS archive: recorded in the background by the first pool of a configuration,
 * mapped by the workers of the next one, and ignored without harm when it is corrupt or cannot be
 * written, and not used at all from a cache directory others could have written to. The JVM only
 * archives classes from jars, so these pools use a jars-only class path (the protocol, the API,
 * Jackson and the example task).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClassDataSharingIT {

    private static List<String> jarsOnly() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar")).toList();
    }

    private static WorkerPool pool(Path cache, int workers) {
        return WorkerPool.builder().workers(workers).classpath(jarsOnly()).classDataCache(cache).build();
    }

    private static Path awaitArchive(Path cache) throws Exception {
        return awaitArchive(cache, ".jsa");
    }

    private static Path awaitArchive(Path cache, String suffix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(cache)) {
                List<Path> names = files.toList();
                List<Path> archives = names.stream().filter(p -> p.toString().endsWith(suffix)).toList();
                if (!archives.isEmpty() && names.size() == archives.size()) { // no .tmp or .lock left
                    return archives.get(0);
                }
            } catch (IOException e) {
                // not created yet
            }
            Thread.sleep(50); // polls for the finished archive, within the deadline
        }
        throw new AssertionError("no archive recorded in " + cache);
    }

    private static String maps(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "maps"));
    }

    @Test
    void theFirstPoolRecordsAnArchiveThatTheNextPoolsWorkersMap(@TempDir Path cache) throws Exception {
        long firstStart = System.nanoTime();
        try (WorkerPool first = pool(cache, 1)) {
            long firstReady = System.nanoTime() - firstStart;
            long pid = first.stats().workers().get(0).pid();
            assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse(""))
                    .doesNotContain("SharedArchiveFile");
            Path archive = awaitArchive(cache);
            assertThat(Files.size(archive)).isGreaterThan(1 << 20);

            long secondStart = System.nanoTime();
            try (WorkerPool second = pool(cache, 2)) {
                long secondReady = System.nanoTime() - secondStart;
                for (WorkerStats worker : second.stats().workers()) {
                    assertThat(ProcessHandle.of(worker.pid()).flatMap(p -> p.info().commandLine()).orElse(""))
                            .contains("-XX:SharedArchiveFile=" + archive);
                    assertThat(maps(worker.pid())).as("the archive is mapped").contains(archive.toString());
                }
                assertThat(second.submit(CountPrimes.class, new Range(0, 100_000)).get(30, TimeUnit.SECONDS))
                        .isEqualTo(9_592L);
                System.out.printf("ready without archive (1 worker): %d ms; with archive (2 workers): %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(firstReady), TimeUnit.NANOSECONDS.toMillis(secondReady));
            }
        }
    }

    /** On a JDK 25 or later the pool records an AOT cache the same way, and its workers start from it. */
    @Test
    void onJdk25TheFirstPoolRecordsAnAotCacheThatTheNextPoolsWorkersMap(@TempDir Path cache) throws Exception {
        Path java25 = Jdk25.javaOrSkip();
        WorkerPoolBuilder builder = WorkerPool.builder().workers(1).javaExecutable(java25).classpath(jarsOnly())
                .classDataCache(cache);
        try (WorkerPool first = builder.build()) {
            assertThat(first.submit(CountPrimes.class, new Range(0, 100)).get(30, TimeUnit.SECONDS)).isEqualTo(25L);
            Path aotCache = awaitArchive(cache, ".aot");
            try (WorkerPool second = builder.build()) {
                long pid = second.stats().workers().get(0).pid();
                assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse(""))
                        .contains("-XX:AOTCache=" + aotCache).doesNotContain("-Xshare");
                assertThat(maps(pid)).as("the AOT cache is mapped").contains(aotCache.toString());
                assertThat(second.submit(CountPrimes.class, new Range(0, 100_000)).get(30, TimeUnit.SECONDS))
                        .isEqualTo(9_592L);
            }
        }
    }

    @Test
    void aCorruptArchiveIsIgnored(@TempDir Path cache) throws Exception {
        try (WorkerPool first = pool(cache, 1)) {
            Path archive = awaitArchive(cache);
            Files.delete(archive); // archives are written read-only
            Files.write(archive, "not an archive".getBytes());
            try (WorkerPool second = pool(cache, 1)) {
                assertThat(second.submit(CountPrimes.class, new Range(0, 100)).get(30, TimeUnit.SECONDS)).isEqualTo(25L);
                long pid = second.stats().workers().get(0).pid();
                assertThat(maps(pid)).doesNotContain(archive.toString());
            }
        }
    }

    @Test
    void anArchiveInADirectoryOthersCanWriteIsNotUsed(@TempDir Path cache) throws Exception {
        try (WorkerPool first = pool(cache, 1)) {
            Path archive = awaitArchive(cache);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                    .isEqualTo("rwx------");
            Files.setPosixFilePermissions(cache, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            try (WorkerPool second = pool(cache, 1)) {
                long pid = second.stats().workers().get(0).pid();
                assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse(""))
                        .doesNotContain("SharedArchiveFile");
                assertThat(second.submit(CountPrimes.class, new Range(0, 100)).get(30, TimeUnit.SECONDS)).isEqualTo(25L);
            }
        }
    }

    @Test
    void aCacheThatCannotBeCreatedCostsNothingButTheArchive(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        try (WorkerPool pool = pool(notADirectory.resolve("cache"), 1)) {
            assertThat(pool.submit(CountPrimes.class, new Range(0, 100)).get(30, TimeUnit.SECONDS)).isEqualTo(25L);
        }
        assertThat(Files.readString(notADirectory)).isEqualTo("x");
    }

    /** The recorders this JVM started (and that still run) for archives in {@code cache}. */
    private static List<ProcessHandle> recordersFor(Path cache) {
        return ProcessHandle.current().descendants().filter(process -> process.info().commandLine().orElse("")
                .contains(ArchiveRecorder.class.getName() + " " + cache)).toList();
    }

    /**
     * Starts two pools, one after the other, with {@code cache}; each must start its workers
     * without an archive and start no recorder, and the pools' log must say why exactly once.
     */
    private static void assertRefused(Path cache, String reason) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream(); // slf4j-simple writes to System.err
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 2; i++) {
                try (WorkerPool pool = pool(cache, 1)) {
                    assertThat(recordersFor(cache)).as("recorders").isEmpty(); // started, if at all, before build() returns
                    long pid = pool.stats().workers().get(0).pid();
                    assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse(""))
                            .doesNotContain("SharedArchiveFile");
                    assertThat(pool.submit(CountPrimes.class, new Range(0, 100)).get(30, TimeUnit.SECONDS)).isEqualTo(25L);
                }
            }
        } finally {
            System.setErr(original);
        }
        List<String> warnings = log.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(" WARN ") && line.contains(cache.toString())).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("io.forkpool.pool").contains(reason);
        try (Stream<Path> names = Files.list(cache)) {
            assertThat(names.toList()).as("what the pools left in " + cache).isEmpty();
        }
    }

    @Test
    void aCacheDirectoryOthersCanWriteIsRefusedOnceAndTheWorkersStartWithoutAnArchive(@TempDir Path dir)
            throws Exception {
        Path cache = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertRefused(cache, "writable by others than its owner");
    }

    @Test
    void aCacheDirectoryThatIsASymbolicLinkIsRefusedOnceAndTheWorkersStartWithoutAnArchive(@TempDir Path dir)
            throws Exception {
        Path target = Files.createDirectory(dir.resolve("target"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path cache = Files.createSymbolicLink(dir.resolve("link"), target);
        assertRefused(cache, "symbolic link");
    }
}
