package io.forkpool.runtime.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.WorkerPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which archives the supervisor trusts: one in a cache directory that only this user can write,
 * which is neither a symbolic link nor holds one at the archive's name. A refused directory costs
 * the workers their archive, never their start, and is reported once. The class path is two empty
 * jar files (the archive's name depends on their size and time only); nothing here is recorded
 * by a real JVM, and a recorder started by mistake is stopped after the test.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClassDataArchiveTest {

    @TempDir
    Path dir;

    private Process startedByMistake;

    @AfterEach
    void stopARecorderStartedByMistake() throws InterruptedException {
        if (startedByMistake != null) {
            startedByMistake.destroyForcibly().waitFor();
        }
    }

    private ClassDataArchive archiveIn(Path cache) throws Exception {
        Path api = Files.createDirectories(dir.resolve("lib")).resolve("api.jar");
        Path worker = dir.resolve("lib").resolve("worker.jar");
        if (!Files.exists(api)) {
            Files.createFile(api);
            Files.createFile(worker);
        }
        return ClassDataArchive.of(WorkerPool.builder().classpath(List.of(api.toString(), worker.toString()))
                .classDataCache(cache).options());
    }

    private static Path privateDirectory(Path path) throws Exception {
        return Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Puts a file where the archive goes, read-only as the JVM writes archives. */
    private static void plantAnArchive(Path archive) throws Exception {
        Files.writeString(archive, "an archive");
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("r--r--r--"));
    }

    /** Runs {@code action} and returns what the pool's logger wrote (slf4j-simple writes to System.err). */
    private static String logOf(ThrowingRunnable action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Two pools' archives in {@code cache}: neither records nor uses one; one warning names the directory and why. */
    private void assertRefused(Path cache, String reason) throws Exception {
        String log = logOf(() -> {
            for (int pool = 0; pool < 2; pool++) {
                ClassDataArchive archive = archiveIn(cache);
                assertThat(archive.jvmOptions()).as("options of pool %d's workers", pool).isEmpty();
                startedByMistake = archive.recordInBackground();
                assertThat(startedByMistake).as("pool %d's recorder", pool).isNull();
            }
        });
        List<String> warnings = log.lines().filter(line -> line.contains(" WARN ")).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("io.forkpool.pool").contains(cache.toString()).contains(reason);
    }

    @Test
    void aCacheDirectoryItsGroupCanWriteIsRefusedOnce() throws Exception {
        Path cache = privateDirectory(dir.resolve("group"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwx---"));
        assertRefused(cache, "writable by others than its owner");
    }

    @Test
    void aCacheDirectoryAnyoneCanWriteIsRefusedOnceEvenWithAnArchiveInIt() throws Exception {
        Path cache = privateDirectory(dir.resolve("shared"));
        plantAnArchive(archiveIn(cache).path());
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertRefused(cache, "writable by others than its owner");
    }

    @Test
    void aCacheDirectoryThatIsASymbolicLinkIsRefusedOnce() throws Exception {
        Path target = privateDirectory(dir.resolve("target"));
        plantAnArchive(archiveIn(target).path());
        Path cache = Files.createSymbolicLink(dir.resolve("link"), target);
        assertRefused(cache, "symbolic link");
    }

    @Test
    void anArchiveInAPrivateDirectoryIsUsedWithoutAWarning() throws Exception {
        Path cache = privateDirectory(dir.resolve("cache"));
        ClassDataArchive archive = archiveIn(cache);
        plantAnArchive(archive.path());
        String log = logOf(() -> assertThat(archive.jvmOptions()).containsExactly("-XX:SharedArchiveFile=" + archive.path()));
        assertThat(log).doesNotContain("WARN");
        assertThat(archive.recordInBackground()).as("a recorder, though the archive exists").isNull();
    }

    @Test
    void anArchiveThatIsASymbolicLinkIsNotUsed() throws Exception {
        Path cache = privateDirectory(dir.resolve("cache"));
        ClassDataArchive archive = archiveIn(cache);
        Path elsewhere = cache.resolve("elsewhere.jsa");
        plantAnArchive(elsewhere);
        Files.createSymbolicLink(archive.path(), elsewhere);
        assertThat(archive.jvmOptions()).isEmpty();
    }
}
