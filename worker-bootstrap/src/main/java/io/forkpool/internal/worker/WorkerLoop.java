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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The worker's side of the protocol, over any pair of blocking channels so it can be tested
 * without a process. Tasks run one at a time, in arrival order, and each task's reply (with a
 * STATUS, when one is due) is written to the channel before the next task starts. Nothing is held
 * in a buffer while a task runs, so a task that halts the JVM at once ({@code Runtime.halt}, a
 * native crash, running out of memory under {@code -XX:+ExitOnOutOfMemoryError}) cannot take an
 * earlier task's reply with it: the supervisor would then blame the crash on that earlier task and
 * run it again.
 *
 * <p>Threads: two equal serving threads, {@code -serve-1} and {@code -serve-2}, share the work as
 * leader and follower ({@link Roles}). The one holding the reader role reads frames, delivers
 * cancellations to the {@link TaskRunner}, answers each PING with a PONG and queues tasks. Once it
 * has handled every frame it has decoded ({@link FrameReader#ready}, so a CANCEL that came in the
 * same read as its TASK is seen before the task starts), and tasks wait with nobody running them,
 * it runs them itself, inline, writing each reply before the next: the task costs no hand-off to
 * another thread, which is a wake-up of some microseconds per round trip. Meanwhile nobody reads,
 * unless the other thread takes the reader role over: it wakes once per takeover period and does
 * so if a task is running and nobody reads. So a PING is answered, and a CANCEL delivered, within
 * that period of a long task's start, while a task of microseconds never wakes the other thread.
 * When the runner runs out of tasks it takes the reader role back, or goes idle if the other
 * thread has it. Both threads write through one {@link FrameWriter}, each frame group appended
 * and flushed under its lock. The caller of {@link #run} waits until one of them finds that the
 * worker must end. The {@code -jackson} thread builds the data mapper before the hello
 * ({@link BackgroundMapper}).
 */
public final class WorkerLoop {

    /**
     * How often the idle serving thread wakes to take the reader role from under a running task.
     * It bounds how late a PING is answered or a CANCEL delivered while a task runs inline. The
     * supervisor waits seconds for a PONG, so PING sets no bound; CANCEL does: the supervisor
     * kills a worker whose cancelled task still runs 500 ms after the CANCEL, and the tasks queued
     * behind a cancelled one wait for it, so delivery takes a small part of that (4%). Each period
     * costs the idle thread one timed wake-up of a few microseconds, 50 a second, also in a worker
     * with nothing to do.
     */
    static final long TAKEOVER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Heap status goes out at most this often, so it costs nothing on the hot path. */
    private static final long STATUS_INTERVAL_NANOS = 50_000_000L;

    private final int workerId;
    /** Used only by the thread holding the reader role; the roles' lock orders its hand-overs. */
    private final FrameReader frames;
    private final TaskRunner runner;
    /** Built only once the hello is out; the first task waits for it. */
    private final BackgroundMapper mapper;
    /** Shared by the reader (PONG) and the runner (replies); used only while holding its lock. */
    private final FrameWriter writer;
    private final Roles roles;
    /** When the last STATUS went out; the runner role's, like the {@link TaskRunner}. */
    private long lastStatus = System.nanoTime() - STATUS_INTERVAL_NANOS;
    /**
     * The exit code, set by whichever thread first finds that the worker must end: the reader (at
     * SHUTDOWN, end of stream, a violation or a read error) or the runner (a write error), or
     * either when the worker's own code fails.
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
        this(in, out, workerId, maxFrameLength, loader, allowedTasks, TAKEOVER_NANOS);
    }

    /** For tests: a loop with another takeover period ({@link #TAKEOVER_NANOS}). */
    WorkerLoop(ReadableByteChannel in, WritableByteChannel out, int workerId, int maxFrameLength,
            ClassLoader loader, TaskAllowList allowedTasks, long takeoverNanos) {
        this.workerId = workerId;
        this.frames = new FrameReader(in, maxFrameLength);
        this.mapper = BackgroundMapper.dataMapper(maxFrameLength);
        this.runner = new TaskRunner(mapper, maxFrameLength, loader, allowedTasks, workerId);
        this.writer = new FrameWriter(out, maxFrameLength);
        this.roles = new Roles(takeoverNanos);
    }

    /**
     * Says hello, then serves tasks until the supervisor says shutdown, closes the channel or
     * breaks the protocol, or the channel fails; then returns at once, abandoning queued tasks and
     * interrupting a running one.
     *
     * <p>Frames are read on daemon threads while the caller waits for the end, so a failed write
     * ends the worker even when the reader cannot be woken: a task that closed the socket's
     * descriptor leaves the reader blocked for ever in a read the close does not interrupt, and
     * the channel's own close, which signals a blocked reader, fails too when the task also closed
     * the JDK's internal descriptor for it.
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
        for (int i = 1; i <= 2; i++) {
            Thread serving = new Thread(this::serve, "forkpool-worker-" + workerId + "-serve-" + i);
            serving.setDaemon(true);
            serving.start();
        }
        // Whatever is still queued or running can no longer be answered usefully: the supervisor
        // sends SHUTDOWN only when it waits for no reply, and after a violation or a failed
        // channel nobody is listening. So the worker leaves at once (the caller halts the JVM);
        // the thread that found the end has abandoned the queue and interrupted the runner.
        return end.join();
    }

    /** @return how often the idle thread took the reader role from under a running task; for tests */
    long takeovers() {
        return roles.takeovers();
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

    /** A serving thread: takes whatever role {@link Roles} gives it until the worker ends. */
    private void serve() {
        Thread me = Thread.currentThread();
        try {
            Frame next = roles.start(me);
            while (next != Roles.END) {
                if (next == Roles.IDLE) {
                    next = roles.idle(me);
                } else if (next == Roles.READ) {
                    next = readFrames(me);
                } else {
                    next = runTasks(me, next);
                }
            }
        } catch (RuntimeException | Error e) {
            // The worker's own code failed (tasks' failures are answered, never thrown here): a
            // worker with a role nobody holds any more would never read or answer again, and leave
            // its tasks waiting for ever, so end it and let the pool retry.
            if (!end.isDone()) {
                System.err.println("forkpool worker " + workerId + ": " + me.getName() + " failed: " + e);
            }
            e.printStackTrace();
            finish(WorkerExitCodes.CHANNEL_FAILED);
        }
    }

    /**
     * Holds the reader role: reads and handles frames until, with none decoded and waiting, it
     * becomes the runner of a queued task, or the worker ends.
     *
     * @return the task to run inline, or {@link Roles#END}
     */
    private Frame readFrames(Thread me) {
        try {
            while (true) {
                if (!frames.ready()) {
                    Frame task = roles.readerDrained(me);
                    if (task != null) {
                        return task;
                    }
                    // Never into a read with the interrupt status set: an interrupted read closes
                    // the channel. Nothing interrupts a reader on purpose (a cancel only the thread
                    // running its task, the end only the runner); this clears a stray interrupt.
                    Thread.interrupted();
                }
                Frame frame = frames.read();
                if (frame == null) {
                    finish(WorkerExitCodes.NORMAL);
                    return Roles.END;
                }
                switch (frame.type()) {
                    case FrameType.TASK:
                    case FrameType.BATCH:
                        runner.received(frame.correlationId());
                        roles.received(frame);
                        break;
                    case FrameType.CANCEL:
                        runner.cancel(frame.correlationId());
                        break;
                    case FrameType.PING:
                        // Answered by the reader, not when a task ends: the supervisor probes a
                        // worker whose task may run for minutes, and kills one that does not answer.
                        if (frame.payload().length != 0) {
                            throw new ProtocolException("PING with a " + frame.payload().length
                                    + "-byte payload; it must be empty");
                        }
                        send(FrameType.PONG, frame.correlationId(), Frame.EMPTY);
                        break;
                    case FrameType.SHUTDOWN:
                        finish(WorkerExitCodes.NORMAL);
                        return Roles.END;
                    default:
                        throw new ProtocolException("unexpected " + frame + " from the supervisor");
                }
            }
        } catch (ProtocolException e) {
            System.err.println("forkpool worker " + workerId + ": protocol error: " + e.getMessage());
            finish(WorkerExitCodes.PROTOCOL_ERROR);
        } catch (IOException e) {
            if (!end.isDone()) { // not the fallout of a failed write, or of the end
                System.err.println("forkpool worker " + workerId + ": channel failed: " + e);
            }
            finish(WorkerExitCodes.CHANNEL_FAILED);
        }
        return Roles.END;
    }

    /**
     * Holds the runner role: runs a task, writes its reply, and goes on with the next queued task
     * until none is left.
     *
     * @return {@link Roles#READ}, {@link Roles#IDLE} or {@link Roles#END}
     */
    private Frame runTasks(Thread me, Frame first) {
        Frame task = first;
        try {
            while (true) {
                writeReply(runner.run(task));
                Frame next = roles.ran(me);
                if (Roles.isRole(next)) {
                    return next;
                }
                task = next;
            }
        } catch (IOException e) {
            writeFailed(e);
            return Roles.END;
        }
    }

    /**
     * Writes a task's reply, with a STATUS when one is due, and flushes it before the next task
     * starts, whatever is queued (PROTOCOL.md 4.2): that task may end the process before it could
     * flush, and the reply with it.
     */
    private void writeReply(Frame reply) throws IOException {
        byte[] status = null;
        long now = System.nanoTime();
        if (now - lastStatus >= STATUS_INTERVAL_NANOS) {
            lastStatus = now;
            Runtime runtime = Runtime.getRuntime();
            status = Messages.encode(
                    new Messages.Status(runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory()));
        }
        synchronized (writer) {
            writer.append(reply.type(), reply.correlationId(), reply.payload());
            if (status != null) {
                writer.append(FrameType.STATUS, 0, status);
            }
            writer.flush();
        }
    }

    /** Writes one frame now; the reader (PONG) and the caller (HELLO). */
    private void send(int type, long correlationId, byte[] payload) throws IOException {
        synchronized (writer) {
            writer.append(type, correlationId, payload);
            writer.flush();
        }
    }

    /**
     * The runner cannot go on (a reply could not be written, or a TASK's payload is malformed): end
     * the worker. A reader is left as it is: it may be blocked for good (see {@link #run}). A
     * failure after the end (an interrupted write, a closed channel) is its consequence, not news.
     */
    private void writeFailed(IOException e) {
        int exitCode = e instanceof ProtocolException ? WorkerExitCodes.PROTOCOL_ERROR : WorkerExitCodes.CHANNEL_FAILED;
        if (!end.isDone()) { // said before the end, or the caller may halt the JVM first
            System.err.println("forkpool worker " + workerId + ": " + e);
        }
        finish(exitCode);
    }

    /**
     * Ends the worker with {@code exitCode}, unless it has ended already: no queued task starts any
     * more, the idle thread ends, and the thread running a task is interrupted (unless it is the
     * caller) and ends once the task returns.
     */
    private void finish(int exitCode) {
        Thread running = roles.end();
        end.complete(exitCode);
        if (running != null && running != Thread.currentThread()) {
            running.interrupt();
        }
    }
}
