package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder installs an archive only when its command succeeded, never runs twice at once,
 * takes over a lock whose holder is gone, and leaves no temporary file or lock behind, nor what a
 * killed recorder left. The "recording" commands here are plain {@code cp} and {@code false}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ArchiveRecorderTest {

    @TempDir
    Path dir;

    private Path archive() {
        return dir.resolve("cache").resolve("worker-x.jsa");
    }

    private List<String> writeTemporary(String content) throws Exception {
        Path source = Files.writeString(dir.resolve("source"), content);
        return List.of("cp", source.toString(), ArchiveRecorder.OUTPUT);
    }

    @Test
    void installsWhatASuccessfulCommandWroteAndCleansUp() throws Exception {
        assertThat(ArchiveRecorder.record(archive(), writeTemporary("archive bytes"))).isTrue();
        assertThat(Files.readString(archive())).isEqualTo("archive bytes");
        try (var files = Files.list(archive().getParent())) {
            assertThat(files.toList()).containsExactly(archive());
        }
    }

    @Test
    void installsNothingWhenTheCommandFails() throws Exception {
        assertThat(ArchiveRecorder.record(archive(), List.of("false"))).isFalse();
        try (var files = Files.list(archive().getParent())) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void leavesALiveHoldersLockAloneAndTakesOverADeadOnes() throws Exception {
        Files.createDirectories(archive().getParent());
        Path lock = Path.of(archive() + ".lock");
        Files.writeString(lock, Long.toString(ProcessHandle.current().pid()));
        assertThat(ArchiveRecorder.isBeingRecorded(archive())).isTrue();
        assertThat(ArchiveRecorder.record(archive(), writeTemporary("x"))).isTrue(); // someone else's job
        assertThat(archive()).doesNotExist();
        assertThat(lock).exists();

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(lock, Long.toString(gone.pid()));
        assertThat(ArchiveRecorder.isBeingRecorded(archive())).isFalse();
        assertThat(ArchiveRecorder.record(archive(), writeTemporary("recorded"))).isTrue();
        assertThat(Files.readString(archive())).isEqualTo("recorded");
        assertThat(lock).doesNotExist();
    }

    @Test
    void removesWhatAKilledRecordersLeftBehindWithoutFollowingLinksInIt() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "victim");
        Path leftover = Files.createDirectories(Path.of(archive() + ".recording-123"));
        Files.writeString(leftover.resolve("worker-x.jsa"), "half an archive");
        Files.createSymbolicLink(leftover.resolve("link"), victim);
        Files.createSymbolicLink(Path.of(archive() + ".recording-456"), dir);
        assertThat(ArchiveRecorder.record(archive(), writeTemporary("recorded"))).isTrue();
        try (var files = Files.list(archive().getParent())) {
            assertThat(files.toList()).containsExactly(archive());
        }
        assertThat(Files.readString(victim)).isEqualTo("victim");
    }
}
