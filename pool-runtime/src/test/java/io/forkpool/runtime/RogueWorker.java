package io.forkpool.runtime;

import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameReader;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.worker.Lifeline;
import io.forkpool.testsupport.Gate;
import io.forkpool.worker.WorkerMain;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker that breaks the protocol on purpose, used through {@code workerCommand}. The first
 * process of a test (the one that creates the marker file) says a valid hello, waits for its first
 * task and then misbehaves as its {@link Mode} says; every later process is the real Java worker,
 * so the pool's replacement serves honestly. After misbehaving the rogue waits to be killed (its
 * lifeline still ends it if the supervisor dies).
 *
 * <p>Arguments: the mode's name and the directory for the marker file.
 */
public final class RogueWorker {

    /** What the rogue does once it holds a task (its id is {@code id}). */
    enum Mode {
        /** Text where a frame header should be. */
        GARBAGE,
        /** A RESULT header announcing 0x7FFFFFFF bytes. */
        MAX_LENGTH,
        /** A RESULT header announcing 0x80000000 bytes, negative as a signed int. */
        NEGATIVE_LENGTH,
        /** A RESULT header announcing 100 bytes, 10 bytes, then end of stream. */
        TRUNCATED,
        /** A frame of type 0x7e. */
        UNKNOWN_TYPE,
        /** A RESULT with flags 0x01. */
        NONZERO_FLAGS,
        /** A RESULT for id + 1000, which nobody holds. */
        UNKNOWN_ID,
        /** The right RESULT for id, twice. */
        DUPLICATE_REPLY,
        /** A TASK frame, which only a supervisor may send. */
        TASK_FROM_WORKER,
        /** A FAILURE whose payload is not JSON. */
        MALFORMED_FAILURE,
        /** A FAILURE with a 2 MiB message: over the 1 MiB control-message limit, within the frame cap. */
        OVERSIZED_FAILURE,
        /**
         * Once a task arrived at the gate {@code gate} in the marker directory (the other worker
         * runs its task), a RESULT for task 3 - id: with two tasks 1 and 2, the one the other
         * worker holds.
         */
        OTHER_WORKERS_TASK,
        /** A RESULT for id that is a 100,000-deep array: valid framing, hostile content. */
        DEEP_RESULT
    }

    private RogueWorker() {
    }

    /**
     * Runs the rogue, or the real worker if a rogue already ran.
     *
     * @param args the mode and the marker directory
     * @throws Exception if the rogue's own I/O fails
     */
    public static void main(String[] args) throws Exception {
        Mode mode = Mode.valueOf(args[0]);
        try {
            Files.createFile(Path.of(args[1], "rogue"));
        } catch (FileAlreadyExistsException e) {
            WorkerMain.main(new String[0]);
            return;
        }
        InputStream stdin = new FileInputStream(FileDescriptor.in);
        Messages.Bootstrap bootstrap = Lifeline.readBootstrap(stdin);
        Lifeline.watch(stdin, bootstrap.workerId());
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(bootstrap.socketPath()));
        FrameWriter writer = new FrameWriter(channel, bootstrap.maxFrameLength());
        writer.append(FrameType.HELLO, 0, Messages.encode(new Messages.Hello(Messages.PROTOCOL_VERSION,
                ProcessHandle.current().pid(), bootstrap.token(), "rogue " + mode)));
        writer.flush();
        Frame task = new FrameReader(channel, bootstrap.maxFrameLength()).read();
        System.out.println("rogue " + mode + " got " + task);
        misbehave(mode, channel, task.correlationId(), Path.of(args[1]));
        System.out.println("rogue " + mode + " misbehaved");
        Thread.sleep(Long.MAX_VALUE); // not a guess: it waits to be killed
    }

    private static void misbehave(Mode mode, SocketChannel channel, long id, Path markerDirectory) throws Exception {
        switch (mode) {
            case GARBAGE -> write(channel, ascii("GARBAGE! this is not a frame\n"));
            case MAX_LENGTH -> write(channel, header(0x7FFFFFFF, FrameType.RESULT, 0, id));
            case NEGATIVE_LENGTH -> write(channel, header(0x80000000, FrameType.RESULT, 0, id));
            case TRUNCATED -> {
                write(channel, header(100, FrameType.RESULT, 0, id), ascii("0123456789"));
                channel.shutdownOutput();
            }
            case UNKNOWN_TYPE -> write(channel, header(1, 0x7e, 0, id), ascii("1"));
            case NONZERO_FLAGS -> write(channel, header(1, FrameType.RESULT, 1, id), ascii("1"));
            case UNKNOWN_ID -> write(channel, header(1, FrameType.RESULT, 0, id + 1000), ascii("1"));
            case DUPLICATE_REPLY -> write(channel, header(1, FrameType.RESULT, 0, id), ascii("1"),
                    header(1, FrameType.RESULT, 0, id), ascii("1"));
            case TASK_FROM_WORKER -> write(channel, header(5, FrameType.TASK, 0, id), ascii("\0\1X\1" + "1"));
            case MALFORMED_FAILURE -> write(channel, header(9, FrameType.FAILURE, 0, id), ascii("{not json"));
            case OVERSIZED_FAILURE -> {
                ByteBuffer report = ascii("{\"exceptionClass\":\"X\",\"message\":\"" + "m".repeat(2 << 20)
                        + "\",\"stackTrace\":\"\"}");
                write(channel, header(report.remaining(), FrameType.FAILURE, 0, id), report);
            }
            case OTHER_WORKERS_TASK -> {
                Gate.of(markerDirectory.resolve("gate").toString()).awaitStarted(Duration.ofSeconds(60));
                write(channel, header(4, FrameType.RESULT, 0, 3 - id), ascii("-999"));
            }
            case DEEP_RESULT -> {
                ByteBuffer deep = ascii("[".repeat(100_000) + "]".repeat(100_000));
                write(channel, header(deep.remaining(), FrameType.RESULT, 0, id), deep);
            }
        }
    }

    private static ByteBuffer header(int length, int type, int flags, long id) {
        return ByteBuffer.allocate(14).putInt(length).put((byte) type).put((byte) flags).putLong(id).flip();
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(SocketChannel channel, ByteBuffer... buffers) throws IOException {
        for (ByteBuffer buffer : buffers) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }
}
