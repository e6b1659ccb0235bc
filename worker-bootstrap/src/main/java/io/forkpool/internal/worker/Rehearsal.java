package io.forkpool.internal.worker;

import io.forkpool.Task;
import io.forkpool.internal.protocol.BootstrapLine;
import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameReader;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.TaskRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker's life rehearsed without a supervisor, so that a JVM started with
 * {@code -XX:ArchiveClassesAtExit} (on JDK 25 and later, {@code -XX:AOTCacheOutput}) records every
 * class a real worker needs before its first task into a class-data-sharing archive (an AOT cache). The pool runs it once per class path and JVM options, in
 * the background; later workers start from the archive instead of loading and verifying the
 * protocol's and Jackson's classes one by one.
 *
 * <p>The rehearsal plays both sides over a real Unix domain socket: the bootstrap line is parsed,
 * a {@link WorkerLoop} says hello, runs TASK frames of {@link Rehearse} (records, lists, maps,
 * strings and numbers through Jackson, one failure, one cancellation), reports its status and
 * shuts down, all through the same code as in production.
 */
public final class Rehearsal {

    /** The argument that makes {@code WorkerMain} rehearse instead of serving. */
    public static final String ARGUMENT = "--rehearse-for-class-data-sharing";

    private static final int MAX_FRAME = 1 << 20;
    private static final int TASKS = 32;

    private Rehearsal() {
    }

    /**
     * The task the rehearsal runs: echoes a record of common shapes, or fails when asked to.
     */
    public static final class Rehearse implements Task<Rehearse.Input, Rehearse.Input> {

        /**
         * A bit of everything a task's data usually holds.
         *
         * @param text a string
         * @param number a long
         * @param ratio a double
         * @param values a list
         * @param extra a map
         * @param fail whether to throw
         */
        public record Input(String text, long number, double ratio, List<Integer> values, Map<String, Object> extra,
                boolean fail) {
        }

        /** Used by the worker. */
        public Rehearse() {
        }

        @Override
        public Input execute(Input input) {
            if (input.fail()) {
                throw new IllegalStateException("rehearsed failure");
            }
            return input;
        }
    }

    /**
     * Runs the rehearsal and returns normally, so the JVM can write its archive on exit.
     *
     * @throws Exception if any step does not go as a real worker's would
     */
    public static void run() throws Exception {
        Path directory = Files.createTempDirectory("forkpool-rehearsal-");
        Path socket = directory.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket), 1);
            Messages.Bootstrap bootstrap = Lifeline.readBootstrap(new ByteArrayInputStream(BootstrapLine.encode(
                    new Messages.Bootstrap(Messages.PROTOCOL_VERSION, socket.toString(), "0".repeat(32), 0, MAX_FRAME,
                            0, 0, List.of("*")))));
            SocketChannel workerSide = SocketChannel.open(StandardProtocolFamily.UNIX);
            workerSide.connect(UnixDomainSocketAddress.of(bootstrap.socketPath()));
            try (SocketChannel supervisorSide = server.accept(); workerSide) {
                WorkerLoop loop = new WorkerLoop(workerSide, workerSide, 0, MAX_FRAME, Rehearsal.class.getClassLoader(),
                        Lifeline.allowedTasks(bootstrap));
                CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                    try {
                        return loop.run(WorkerLoop.hello(bootstrap.token()));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                superviseRehearsal(supervisorSide);
                if (exit.get(30, TimeUnit.SECONDS) != 0) {
                    throw new IllegalStateException("rehearsed worker ended with " + exit.join());
                }
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(directory);
        }
    }

    private static void superviseRehearsal(SocketChannel channel) throws IOException {
        JsonMapper mapper = Messages.newDataMapper(MAX_FRAME);
        FrameReader reader = new FrameReader(channel, MAX_FRAME);
        FrameWriter writer = new FrameWriter(channel, MAX_FRAME);
        Messages.decode(reader.read().payload(), Messages.Hello.class);
        byte[] name = TaskRequest.encodeName(Rehearse.class.getName());
        for (int id = 1; id <= TASKS; id++) {
            Rehearse.Input input = new Rehearse.Input("task " + id, id, id / 3.0, List.of(id, -id),
                    Map.of("k", List.of(id), "n", id), id == TASKS - 1);
            writer.appendTask(id, name, 1, mapper.writeValueAsBytes(input));
        }
        writer.append(FrameType.CANCEL, TASKS, Frame.EMPTY);
        writer.flush();
        for (int answered = 0; answered < TASKS; ) {
            Frame frame = reader.read();
            switch (frame.type()) {
                case FrameType.RESULT -> mapper.readValue(frame.payload(), Rehearse.Input.class);
                case FrameType.FAILURE -> Messages.decode(frame.payload(), Messages.TaskFailure.class);
                case FrameType.STATUS -> Messages.decode(frame.payload(), Messages.Status.class);
                default -> throw new IllegalStateException("unexpected " + frame);
            }
            if (frame.type() != FrameType.STATUS) {
                answered++;
            }
        }
        writer.append(FrameType.SHUTDOWN, 0, Frame.EMPTY);
        writer.flush();
    }
}
