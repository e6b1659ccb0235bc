package io.forkpool.worker;

import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.WorkerExitCodes;
import io.forkpool.internal.worker.ChannelWatch;
import io.forkpool.internal.worker.Lifeline;
import io.forkpool.internal.worker.Rehearsal;
import io.forkpool.internal.worker.WorkerLoop;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code main} class of a forkpool worker JVM. The supervisor starts it; users never do.
 *
 * <ol>
 *   <li>Reads one bootstrap line from standard input: where the supervisor's Unix domain socket
 *       is and the token that proves who we are. Nothing secret is on the command line.</li>
 *   <li>Keeps reading standard input on a dedicated daemon thread: end of input means the
 *       supervisor is gone, and the worker halts at once, whatever its tasks are doing.</li>
 *   <li>Hides standard input from task code, connects, says hello and serves tasks. The protocol
 *       never touches file descriptors 0–2, so whatever tasks, the JVM or child processes print
 *       cannot corrupt it; the supervisor logs that output tagged with the worker id.</li>
 *   <li>On Linux, watches the socket's descriptor: a task that closes it would otherwise leave
 *       the reader blocked for ever ({@link ChannelWatch}).</li>
 * </ol>
 *
 * Exit codes are those of {@link WorkerExitCodes}.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    /**
     * Runs the worker.
     *
     * @param args none; the configuration arrives on standard input. (The pool passes
     *     {@link Rehearsal#ARGUMENT} only to the background JVM that records its class-data
     *     sharing archive.)
     */
    public static void main(String[] args) {
        if (args.length == 1 && Rehearsal.ARGUMENT.equals(args[0])) {
            rehearse();
            return;
        }
        InputStream stdin = new FileInputStream(FileDescriptor.in);
        Messages.Bootstrap bootstrap;
        try {
            bootstrap = Lifeline.readBootstrap(stdin);
        } catch (IOException | RuntimeException e) {
            System.err.println("forkpool worker: invalid bootstrap line on stdin: " + e.getMessage());
            Runtime.getRuntime().halt(WorkerExitCodes.BAD_BOOTSTRAP);
            return;
        }
        Lifeline.watch(stdin, bootstrap.workerId());
        Lifeline.watchSupervisor(bootstrap.supervisorPid(), bootstrap.supervisorStartMillis(), bootstrap.workerId());
        System.setIn(new ByteArrayInputStream(new byte[0]));

        SocketChannel channel;
        Optional<ChannelWatch> watch;
        try {
            // A first channel sets up what the JDK's channels share (a descriptor of its own among
            // them), so that the real one is the only socket between the two snapshots.
            SocketChannel.open(StandardProtocolFamily.UNIX).close();
            Map<Path, Path> before = ChannelWatch.sockets();
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            watch = ChannelWatch.of(before, ChannelWatch.sockets());
            channel.connect(UnixDomainSocketAddress.of(bootstrap.socketPath()));
        } catch (IOException | RuntimeException e) {
            System.err.println("forkpool worker " + bootstrap.workerId() + ": cannot connect to "
                    + bootstrap.socketPath() + ": " + e);
            Runtime.getRuntime().halt(WorkerExitCodes.CHANNEL_FAILED);
            return;
        }
        watch.ifPresent(w -> w.start(bootstrap.workerId()));
        int exitCode;
        try {
            WorkerLoop loop = new WorkerLoop(channel, channel, bootstrap.workerId(), bootstrap.maxFrameLength(),
                    Thread.currentThread().getContextClassLoader(), Lifeline.allowedTasks(bootstrap));
            exitCode = loop.run(WorkerLoop.hello(bootstrap.token()));
        } catch (IOException | RuntimeException | Error e) {
            // An Error too: every end of a served worker goes through Lifeline.halt, which kills
            // what its tasks started and ends the JVM even if task code left non-daemon threads.
            System.err.println("forkpool worker " + bootstrap.workerId() + ": " + e);
            exitCode = WorkerExitCodes.CHANNEL_FAILED;
        }
        System.out.flush();
        System.err.flush();
        Lifeline.halt(exitCode);
    }

    private static void rehearse() {
        try {
            Rehearsal.run();
        } catch (Exception e) {
            System.err.println("forkpool worker rehearsal failed: " + e);
            System.exit(1);
        }
        System.exit(0); // a normal exit, so -XX:ArchiveClassesAtExit writes the archive
    }
}
