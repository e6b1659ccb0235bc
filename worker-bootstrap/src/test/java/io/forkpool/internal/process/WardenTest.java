package io.forkpool.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WardenTest {

    private static Warden warden() throws ReflectiveOperationException {
        Constructor<Warden> constructor = Warden.class.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }

    @Test
    void keepsTheSessionsAndDirectoriesItIsToldOfAndForgetsThoseThatEnded() throws Exception {
        Warden warden = warden();
        warden.apply("S+ 4242");
        warden.apply("S+ 4343");
        warden.apply("S- 4242");
        warden.apply("D+ /tmp/forkpool-1-abc-2");
        warden.apply("D+ /tmp/forkpool-1-abc-3");
        warden.apply("D- /tmp/forkpool-1-abc-2");
        assertThat(warden.sessions()).containsExactly(4343L);
        assertThat(warden.directories()).containsExactly(Path.of("/tmp/forkpool-1-abc-3"));
    }

    @Test
    void actsOnNothingItCannotParse() throws Exception {
        Warden warden = warden();
        for (String line : new String[] {"", "S+", "S+ ", "S+ -1", "S+ 1", "S+ 0", "S+ 12a", "S+ 1 2",
                "S+ 99999999999999999999", "S* 12", "S+12", "D+ relative/forkpool-1", "D+ /tmp/other",
                "D+ /", "X+ 12"}) {
            warden.apply(line);
        }
        assertThat(warden.sessions()).isEmpty();
        assertThat(warden.directories()).isEmpty();
    }

    @Test
    void removesADirectoryButNeverFollowsALinkInOrToIt(@TempDir Path dir) throws IOException {
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Path victimFile = Files.writeString(victim.resolve("precious"), "keep");
        Path sockets = Files.createDirectories(dir.resolve("forkpool-1-abc-2"));
        Files.writeString(sockets.resolve("w0-1.sock"), "");
        Files.createSymbolicLink(sockets.resolve("link"), victim);
        Path linkedDir = Files.createSymbolicLink(dir.resolve("forkpool-1-abc-3"), victim);

        Warden.removeDirectory(linkedDir);
        Warden.removeDirectory(sockets);

        assertThat(sockets).doesNotExist();
        assertThat(Files.isSymbolicLink(linkedDir)).isTrue();
        assertThat(victimFile).hasContent("keep");
        assertThat(Set.of(victim.toFile().list())).containsExactly("precious");
    }
}
