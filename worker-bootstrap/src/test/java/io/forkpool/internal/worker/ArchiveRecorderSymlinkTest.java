package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A symbolic link planted at the recorder's lock is never followed: not read, not written through.
 * These tests run as the same user as the "attacker" (who could not plant anything in a private
 * directory), so what they check is that no name is trusted, not the permissions that keep others out.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ArchiveRecorderSymlinkTest {

    @TempDir
    Path dir;

    private Path archive;
    private Path source;

    @BeforeEach
    void createTheCacheAndTheArchiveToRecord() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        archive = cache.resolve("worker-x.jsa");
        source = Files.writeString(dir.resolve("source"), "archive bytes");
    }

    @Test
    void aLinkPlantedAtTheLockIsTakenOverUnread() throws Exception {
        Path huge = dir.resolve("huge"); // sparse: reading it whole would not fit in an array
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(4L << 30);
        }
        Files.createSymbolicLink(Path.of(archive + ".lock"), huge);
        assertThat(ArchiveRecorder.isBeingRecorded(archive)).isFalse();
        assertThat(ArchiveRecorder.record(archive, List.of("cp", source.toString(), ArchiveRecorder.OUTPUT))).isTrue();
        assertThat(Files.readString(archive)).isEqualTo("archive bytes");
        assertThat(Files.size(huge)).isEqualTo(4L << 30);
    }
}
