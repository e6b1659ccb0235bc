package io.forkpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.forkpool.internal.protocol.BootstrapLine;
import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameReader;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.internal.protocol.WorkerExitCodes;
import io.forkpool.internal.worker.CloseSockets;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real worker JVM against a minimal supervisor in the test: a task that closes the worker's
 * socket under it ends the worker with exit code 65, whether or not the worker has a reply to
 * write, and without the supervisor sending anything. Linux only (the task finds the socket in
 * {@code /proc/self/fd}). Each worker is killed in cleanup if it is still running.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerProcessTest {

    private static final int MAX = 1 << 20;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "then {0}")
    @ValueSource(strings = {"return", "hold"})
    void aTaskThatClosesTheWorkersSocketEndsTheWorkerWithChannelFailed(String then) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc/self/fd");
        Path socket = dir.resolve("w.sock");
        Path stderr = dir.resolve("stderr.txt");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket), 1);
            Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile())
                    .start();
            try {
                OutputStream lifeline = worker.getOutputStream(); // stays open: closing it would end the worker (67)
                lifeline.write(BootstrapLine.encode(new Messages.Bootstrap(Messages.PROTOCOL_VERSION, socket.toString(),
                        "0".repeat(32), 5, MAX, ProcessHandle.current().pid(), 0,
                        List.of("io.forkpool.internal.worker.*"))));
                lifeline.flush();
                try (SocketChannel channel = server.accept()) {
                    FrameReader reader = new FrameReader(channel, MAX);
                    assertThat(reader.read().type()).isEqualTo(FrameType.HELLO);
                    FrameWriter writer = new FrameWriter(channel, MAX);
                    writer.appendTask(1, TaskRequest.encodeName(CloseSockets.class.getName()), 1,
                            ("\"" + then + "\"").getBytes(StandardCharsets.UTF_8));
                    writer.flush();

                    // Nothing more is sent: the worker must notice by itself.
                    assertThat(worker.waitFor(20, TimeUnit.SECONDS)).as("the worker ended").isTrue();
                    assertThat(worker.exitValue()).as(Files.readString(stderr))
                            .isEqualTo(WorkerExitCodes.CHANNEL_FAILED);
                    Frame last = reader.read();
                    assertThat(last).as("no reply reached the supervisor").isNull();
                }
            } finally {
                worker.destroyForcibly();
                worker.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
