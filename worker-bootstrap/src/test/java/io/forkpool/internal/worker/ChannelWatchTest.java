package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watch finds the socket a channel opened, and sees it closed or replaced. Linux only. */
class ChannelWatchTest {

    @BeforeEach
    void onLinux() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc/self/fd");
        SocketChannel.open(StandardProtocolFamily.UNIX).close(); // as WorkerMain: the JDK's own sockets first
    }

    @Test
    void findsTheOneSocketOpenedAndSeesItClosed() throws Exception {
        Map<Path, Path> before = ChannelWatch.sockets();
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Optional<ChannelWatch> watch;
        try {
            watch = ChannelWatch.of(before, ChannelWatch.sockets());
            assertThat(watch).isPresent();
            assertThat(watch.get().intact()).isTrue();
        } finally {
            channel.close();
        }
        assertThat(watch.get().intact()).isFalse();
        try (SocketChannel next = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // most likely under the same number: another socket there is no longer the one watched
            assertThat(watch.get().intact()).isFalse();
        }
    }

    @Test
    void watchesNothingUnlessExactlyOneSocketAppeared() throws Exception {
        Map<Path, Path> before = ChannelWatch.sockets();
        assertThat(ChannelWatch.of(before, ChannelWatch.sockets())).isEmpty();
        try (SocketChannel one = SocketChannel.open(StandardProtocolFamily.UNIX);
                SocketChannel two = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertThat(ChannelWatch.of(before, ChannelWatch.sockets())).isEmpty();
        }
    }
}
