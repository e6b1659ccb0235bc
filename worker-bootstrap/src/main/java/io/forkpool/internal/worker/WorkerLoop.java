package io.forkpool.internal.worker;

import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameReader;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.HelloEncoder;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import io.forkpool.internal.protocol.WorkerExitCodes;
import io.forkpool.spi.TaskAllowList;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The worker's side of the protocol, over any pair of blocking channels so it can be tested
 * without a process. A reader thread reads frames; a separate task thread runs tasks one at a
 * time, in arrival order, and writes each task's reply (with a STATUS, when one is due) to the
 * channel before it starts the next task. Nothing is held in a buffer while a task runs, so a
 * task that halts the JVM at once ({@code Runtime.halt}, a native crash, running out of memory
 * under {@code -XX:+ExitOnOutOfMemoryError}) cannot take an earlier task's reply with it: the
 * supervisor would then blame the crash on that earlier task and run it again.
 *
 * <p>Threads: the {@code -reader} thread owns the {@link FrameReader}, delivers
 * cancellations to the {@link TaskRunner} and answers each PING with a PONG at once, never behind
 * a running task; after the hello, the {@code -task} thread writes replies. Both write through
 * one {@link FrameWriter}, each frame group appended and flushed under its lock. The caller of
 * {@link #run} waits until one of them finds that the worker must end. The {@code -jackson}
 * thread builds the data mapper before the hello ({@link BackgroundMapper}).
 */
public final class WorkerLoop {

    private static final Frame STOP = new Frame(FrameType.SHUTDOWN, 0, Frame.EMPTY);
    /** Heap status goes out at most this often, so it costs nothing on the hot path. */
    private static final long STATUS_INTERVAL_NANOS = 50_000_000L;

    private final ReadableByteChannel in;
    private final int workerId;
    private final int maxFrameLength;
    private final TaskRunner runner;
    /** Built only once the hello is out; the first task waits for it. */
    private final BackgroundMapper mapper;
    /** Shared by the reader (PONG) and the task thread (replies); used only while holding its lock. */
    private final FrameWriter writer;
    private final BlockingQueue<Frame> tasks = new LinkedBlockingQueue<>();
    /**
     * The exit code, set by whichever thread first finds that the worker must end: the reader (at
     * SHUTDOWN, end of stream, a violation or a read error) or the task thread (a write error).
     */
    private final CompletableFuture<Integer> end = new CompletableFuture<>();

    /**
     * Creates a loop.
     *
     * @param in frames from the supervisor
     * @param out frames to the supervisor
     * @param workerId this worker's id, for thread names and task contexts
     * @param maxFrameLength the largest payload either side may send
     * @param loader where task classes are loaded from
     * @param allowedTasks the task names this worker may load; others are answered with a FAILURE
     */
    public WorkerLoop(ReadableByteChannel in, WritableByteChannel out, int workerId, int maxFrameLength,
            ClassLoader loader, TaskAllowList allowedTasks) {
        this.in = in;
        this.workerId = workerId;
        this.maxFrameLength = maxFrameLength;
        this.mapper = BackgroundMapper.dataMapper(maxFrameLength);
        this.runner = new TaskRunner(mapper, maxFrameLength, loader, allowedTasks, workerId);
        this.writer = new FrameWriter(out, maxFrameLength);
    }

    /**
     * Says hello, then serves tasks until the supervisor says shutdown, closes the channel or
     * breaks the protocol, or the channel fails; then returns at once, abandoning queued tasks and
     * interrupting a running one.
     *
     * <p>Frames are read on a daemon thread of their own while the caller waits for the end, so a
     * failed write ends the worker even when the reader cannot be woken: a task that closed the
     * socket's descriptor leaves the reader blocked for ever in a read the close does not
     * interrupt, and the channel's own close, which signals a blocked reader, fails too when the
     * task also closed the JDK's internal descriptor for it.
     *
     * @param hello the hello to send first
     * @return the exit code the worker should end with ({@link WorkerExitCodes})
     * @throws IOException if the hello cannot be written
     */
    public int run(Messages.Hello hello) throws IOException {
        // The hello says the worker can run a task now, so it waits for the data mapper: a task
        // sent earlier would wait in the worker, and if the worker were killed meanwhile the task
        // would be charged an attempt it never made (only the running task may be). The hello
        // itself is written without Jackson (HelloEncoder), and no control mapper is built for it.
        mapper.start(workerId);
        mapper.get();
        send(FrameType.HELLO, 0, HelloEncoder.encode(hello));
        Thread taskThread = new Thread(this::serveTasks, "forkpool-worker-" + workerId + "-task");
        taskThread.start();
        Thread readerThread = new Thread(this::serveFrames, "forkpool-worker-" + workerId + "-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        int exitCode = end.join();
        // Whatever is still queued or running can no longer be answered usefully: the supervisor
        // sends SHUTDOWN only when it waits for no reply, and after a violation or a failed
        // channel nobody is listening. So the worker leaves at once (the caller halts the JVM).
        tasks.clear();
        tasks.add(STOP);
        taskThread.interrupt();
        return exitCode;
    }

    /**
     * The hello of the Java worker, which implements every optional feature of the protocol.
     *
     * @param token the token from the bootstrap line
     * @return the hello to pass to {@link #run}
     */
    public static Messages.Hello hello(String token) {
        return new Messages.Hello(Messages.PROTOCOL_VERSION, ProcessHandle.current().pid(), token,
                "java " + Runtime.version(), List.of(Messages.FEATURE_BATCH, Messages.FEATURE_PING));
    }

    private void serveFrames() {
        int exitCode;
        try {
            exitCode = readFrames();
        } catch (RuntimeException | Error e) {
            // The worker's own code failed: without a reader nobody would ever end the worker.
            e.printStackTrace();
            exitCode = WorkerExitCodes.CHANNEL_FAILED;
        }
        end.complete(exitCode);
    }

    private int readFrames() {
        FrameReader reader = new FrameReader(in, maxFrameLength);
        try {
            Frame frame;
            while ((frame = reader.read()) != null) {
                switch (frame.type()) {
                    case FrameType.TASK:
                    case FrameType.BATCH:
                        runner.received(frame.correlationId());
                        tasks.add(frame);
                        break;
                    case FrameType.CANCEL:
                        runner.cancel(frame.correlationId());
                        break;
                    case FrameType.PING:
                        // Answered here, not by the task thread: the supervisor probes a worker
                        // whose task may run for minutes, and kills one that does not answer.
                        if (frame.payload().length != 0) {
                            throw new ProtocolException("PING with a " + frame.payload().length
                                    + "-byte payload; it must be empty");
                        }
                        send(FrameType.PONG, frame.correlationId(), Frame.EMPTY);
                        break;
                    case FrameType.SHUTDOWN:
                        return WorkerExitCodes.NORMAL;
                    default:
                        throw new ProtocolException("unexpected " + frame + " from the supervisor");
                }
            }
            return WorkerExitCodes.NORMAL;
        } catch (ProtocolException e) {
            System.err.println("forkpool worker " + workerId + ": protocol error: " + e.getMessage());
            return WorkerExitCodes.PROTOCOL_ERROR;
        } catch (IOException e) {
            if (!end.isDone()) { // not the fallout of a failed write, or of the end
                System.err.println("forkpool worker " + workerId + ": channel failed: " + e);
            }
            return WorkerExitCodes.CHANNEL_FAILED;
        }
    }

    private void serveTasks() {
        long lastStatus = System.nanoTime() - STATUS_INTERVAL_NANOS;
        try {
            while (true) {
                Frame task = tasks.take();
                if (task == STOP) {
                    return;
                }
                Frame reply = runner.run(task);
                byte[] status = null;
                long now = System.nanoTime();
                if (now - lastStatus >= STATUS_INTERVAL_NANOS) {
                    lastStatus = now;
                    Runtime runtime = Runtime.getRuntime();
                    status = Messages.encode(
                            new Messages.Status(runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory()));
                }
                // Flushed before the next task starts, whatever is queued (PROTOCOL.md 4.2): that
                // task may end the process before it could flush, and the reply with it.
                synchronized (writer) {
                    writer.append(reply.type(), reply.correlationId(), reply.payload());
                    if (status != null) {
                        writer.append(FrameType.STATUS, 0, status);
                    }
                    writer.flush();
                }
            }
        } catch (IOException e) {
            writeFailed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // The worker's own code failed (tasks' failures are answered, never thrown here): a
            // mute worker would leave its tasks waiting forever, so end it and let the pool retry.
            e.printStackTrace();
            writeFailed(new IOException("the task thread failed: " + e, e));
        }
    }

    /** Writes one frame now; reader and task thread both. */
    private void send(int type, long correlationId, byte[] payload) throws IOException {
        synchronized (writer) {
            writer.append(type, correlationId, payload);
            writer.flush();
        }
    }

    /**
     * The task thread cannot go on (a reply could not be written, or the worker's own code failed):
     * end the worker. The reader is left as it is: it may be blocked for good (see {@link #run}).
     * A failure after the end (an interrupted write, a closed channel) is its consequence, not news.
     */
    private void writeFailed(IOException e) {
        int exitCode = e instanceof ProtocolException ? WorkerExitCodes.PROTOCOL_ERROR : WorkerExitCodes.CHANNEL_FAILED;
        if (!end.isDone()) { // said before the end, or the caller may halt the JVM first
            System.err.println("forkpool worker " + workerId + ": " + e);
        }
        end.complete(exitCode);
    }
}
