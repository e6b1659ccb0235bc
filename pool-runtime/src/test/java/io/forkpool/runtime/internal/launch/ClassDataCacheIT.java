package io.forkpool.runtime.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.WorkerPool;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real recordings, by the recorder the pool starts and the rehearsal JVM it runs, into cache
 * directories that are private but hold symbolic links at every name the recorder could write
 * (planted by this same user: what is checked is that no name is followed). The class path is
 * the test's jars only, as the JVM archives nothing from directories.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClassDataCacheIT {

    private static final String VICTIM = "the victim's own bytes\n";

    @TempDir
    Path dir;

    private static ClassDataArchive archiveIn(Path cache) {
        List<String> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar")).toList();
        return ClassDataArchive.of(WorkerPool.builder().classpath(jars).classDataCache(cache).options());
    }

    private static void record(ClassDataArchive archive) throws InterruptedException {
        Process recorder = archive.recordInBackground();
        assertThat(recorder).as("the recorder").isNotNull();
        assertThat(recorder.waitFor(150, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.exitValue()).as("the recorder's exit code").isZero();
    }

    private static void assertARealArchiveIsInstalled(ClassDataArchive archive) throws Exception {
        assertThat(Files.isSymbolicLink(archive.path())).as("the archive is a symbolic link").isFalse();
        assertThat(Files.isRegularFile(archive.path(), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.size(archive.path())).isGreaterThan(1 << 20);
        assertThat(archive.jvmOptions()).containsExactly("-XX:SharedArchiveFile=" + archive.path());
    }

    @Test
    void symbolicLinksAtEveryPredictableNameAreNeitherFollowedNorInstalled() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path victim = Files.writeString(dir.resolve("victim"), VICTIM);
        ClassDataArchive archive = archiveIn(cache);
        for (String suffix : List.of("", ".tmp", ".lock")) {
            Files.createSymbolicLink(Path.of(archive.path() + suffix), victim);
        }
        record(archive);
        assertThat(Files.readString(victim)).as("the victim's bytes").isEqualTo(VICTIM);
        assertARealArchiveIsInstalled(archive);
    }

    @Test
    void aMissingCacheDirectoryIsCreatedForThisUserOnly() throws Exception {
        Path cache = dir.resolve("xdg").resolve("forkpool");
        ClassDataArchive archive = archiveIn(cache);
        record(archive);
        for (Path created : List.of(cache.getParent(), cache)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created, LinkOption.NOFOLLOW_LINKS)))
                    .as(created.toString()).isEqualTo("rwx------");
        }
        assertARealArchiveIsInstalled(archive);
        try (var names = Files.list(cache)) {
            assertThat(names.toList()).as("what the recording left").containsExactly(archive.path());
        }
    }
}
