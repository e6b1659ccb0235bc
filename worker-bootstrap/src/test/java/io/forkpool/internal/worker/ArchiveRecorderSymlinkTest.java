package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing the recorder writes goes through a name someone else could have planted: a symbolic
 * link at any predictable name ({@code <archive>}, {@code <archive>.lock}, and the
 * {@code <archive>.tmp} of earlier versions), planted before the recording or while it runs,
 * is neither followed nor installed, and the victim it points to keeps its bytes. These tests run
 * as the same user as the "attacker" (who could not plant anything in a private directory), so
 * what they check is that no name is trusted, not the permissions that keep others out. The
 * writer is {@code cp}, which follows a symbolic link at its destination.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ArchiveRecorderSymlinkTest {

    /** ASCII, so comparing the text compares the bytes. */
    private static final String VICTIM = "the victim's own bytes\n";

    @TempDir
    Path dir;

    private Path archive;
    private Path victim;
    private Path source;

    @BeforeEach
    void createTheCacheTheVictimAndTheArchiveToRecord() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        archive = cache.resolve("worker-x.jsa");
        victim = Files.writeString(dir.resolve("victim"), VICTIM);
        source = Files.writeString(dir.resolve("source"), "archive bytes");
    }

    private List<Path> predictableNames() {
        return List.of(archive, Path.of(archive + ".lock"), Path.of(archive + ".tmp"));
    }

    /** {@code cp source OUTPUT}, after planting links to the victim at the free predictable names. */
    private List<String> plantThenCopy() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PlantSymlinks.class.getName(), victim.toString()));
        predictableNames().forEach(name -> command.add(name.toString()));
        command.addAll(List.of("--", "cp", source.toString(), ArchiveRecorder.OUTPUT));
        return command;
    }

    private void assertInstalledAndVictimUntouched() throws Exception {
        assertThat(Files.readString(victim)).as("the victim's bytes").isEqualTo(VICTIM);
        assertThat(Files.isSymbolicLink(archive)).as("the archive is a symbolic link").isFalse();
        assertThat(Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.readString(archive)).isEqualTo("archive bytes");
    }

    @Test
    void linksPlantedBeforeTheRecordingAreReplacedNotFollowed() throws Exception {
        for (Path name : predictableNames()) {
            Files.createSymbolicLink(name, victim);
        }
        assertThat(ArchiveRecorder.record(archive, List.of("cp", source.toString(), ArchiveRecorder.OUTPUT))).isTrue();
        assertInstalledAndVictimUntouched();
        assertThat(Path.of(archive + ".lock")).doesNotExist(); // the planted lock was taken over, then released
    }

    @Test
    void linksPlantedWhileTheCommandRunsAreNeitherWrittenThroughNorInstalled() throws Exception {
        assertThat(ArchiveRecorder.record(archive, plantThenCopy())).isTrue();
        assertInstalledAndVictimUntouched();
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
