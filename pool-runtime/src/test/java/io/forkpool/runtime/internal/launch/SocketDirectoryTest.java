package io.forkpool.runtime.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketDirectoryTest {

    private static final ProcessHandle SELF = ProcessHandle.current();
    private static final long SELF_START = SELF.info().startInstant().orElseThrow().toEpochMilli();

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    @Test
    void removesTheDirectoriesOfGoneSupervisorsOnlyAndNeverFollowsALink(@TempDir Path base) throws Exception {
        long dead = deadPid();
        Path ofDead = Files.createDirectory(base.resolve("forkpool-" + dead + "-" + Long.toString(SELF_START, 36) + "-1"));
        Files.writeString(ofDead.resolve("w0-1.sock"), "");
        Path ofReusedPid = Files.createDirectory(base.resolve("forkpool-" + SELF.pid() + "-"
                + Long.toString(SELF_START - 60_000, 36) + "-2"));
        Path ofThisJvm = Files.createDirectory(base.resolve("forkpool-" + SELF.pid() + "-"
                + Long.toString(SELF_START, 36) + "-3"));
        Path victim = Files.createDirectory(base.resolve("victim"));
        Files.writeString(victim.resolve("precious"), "keep");
        Path link = Files.createSymbolicLink(base.resolve("forkpool-" + dead + "-1-4"), victim);
        Path unrelated = Files.createDirectory(base.resolve("forkpool-cache"));

        assertThat(SocketDirectory.removeStale(base)).isEqualTo(2);

        assertThat(ofDead).doesNotExist();
        assertThat(ofReusedPid).doesNotExist();
        assertThat(ofThisJvm).isDirectory();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(victim.resolve("precious")).hasContent("keep");
        assertThat(unrelated).isDirectory();
    }

    @Test
    void aNewDirectoryIsPrivateAndNamedForItsSupervisor() throws Exception {
        Path dir = SocketDirectory.create();
        try {
            assertThat(dir.getFileName().toString())
                    .startsWith("forkpool-" + SELF.pid() + "-" + Long.toString(SELF_START, 36) + "-");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                    .isEqualTo("rwx------");
            assertThat(SocketDirectory.ownerGone(SELF.pid(), SELF_START)).isFalse();
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void theBaseIsAbsoluteEvenWhenTheTemporaryDirectoryIsGivenRelative() {
        String tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", "t");
        try {
            Path base = SocketDirectory.base();
            assertThat(base.isAbsolute()).as(base.toString()).isTrue();
            assertThat(base).isIn(Path.of("t").toAbsolutePath(), Path.of("/tmp")); // /tmp if the working directory is deep
        } finally {
            System.setProperty("java.io.tmpdir", tmpdir);
        }
    }
}
