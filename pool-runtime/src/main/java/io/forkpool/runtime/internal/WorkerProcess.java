package io.forkpool.runtime.internal;

import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameReader;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * One worker process, from spawn to exit, and its three threads.
 *
 * <pre>
 * State machine (transitions under {@code lock}):
 *   STARTING --hello ok--> READY --stop()--> STOPPING --exit--> DEAD
 *   STARTING --exit / startup timeout / bad hello (killed)----> DEAD
 *   READY    --exit / protocol error (killed) / write failure-> DEAD
 * </pre>
 *
 * Threads: {@code -io} accepts the connection, checks the hello and reads replies; {@code -sender}
 * pulls tasks from the pool's shared queue while this worker has credit and writes them;
 * {@code -output} pumps the process's stdout/stderr. Process exit, observed through
 * {@link Process#onExit()} (not EOF: a grandchild may hold a pipe open), ends everything and hands
 * the tasks still in flight back to the pool.
 *
 * <p>Exactly-once completion: a task is in {@code inFlight} from the moment it is registered to be
 * written until a reply or the exit handler removes it; whoever removes it completes it.
 */
final class WorkerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

    enum State { STARTING, READY, STOPPING, DEAD }

    final WorkerSlot slot;
    final Process process;
    final long pid;
    final long startNanos = System.nanoTime();

    private final ProcessPool pool;
    private final WorkerLauncher.Spawned spawned;
    private final Semaphore credits;
    private final Map<Long, TaskRecord> inFlight = new ConcurrentHashMap<>();
    private final OutputPump output;
    private final Thread ioThread;
    private final Thread senderThread;
    private final Thread outputThread;
    /** Completes when the hello has been accepted, or exceptionally when the worker died before. */
    final CompletableFuture<Void> ready = new CompletableFuture<>();

    private final Object lock = new Object();
    private State state = State.STARTING; // guarded by lock
    // Written by whichever thread decides to kill the worker, read by the exit handler: why we did.
    private volatile String killReason;
    private volatile SocketChannel channel;
    private volatile FrameWriter writer; // guarded by its own monitor once set
    private volatile long readyNanos;

    WorkerProcess(ProcessPool pool, WorkerSlot slot, WorkerLauncher.Spawned spawned, int tasksInFlight) {
        this.pool = pool;
        this.slot = slot;
        this.spawned = spawned;
        this.process = spawned.process();
        this.pid = process.pid();
        this.credits = new Semaphore(tasksInFlight);
        String prefix = pool.name() + "-worker-" + slot.id;
        this.output = new OutputPump(process.getInputStream(), "worker " + slot.id + " pid " + pid);
        this.ioThread = daemon(this::readLoop, prefix + "-io");
        this.senderThread = daemon(this::sendLoop, prefix + "-sender");
        this.outputThread = daemon(output, prefix + "-output");
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Starts the threads and arranges for the exit handler; called once, right after spawning. */
    void start() {
        outputThread.start();
        ioThread.start();
        process.onExit().whenCompleteAsync((p, t) -> onExit(), pool.supervisor());
    }

    State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Kills the worker and its descendants at once, recording why; "we killed it", not a crash. */
    void kill(String reason) {
        if (killReason == null) {
            killReason = reason;
        }
        ProcessTrees.signal(process.toHandle(), true);
    }

    /**
     * Asks the worker to exit: a SHUTDOWN frame, then its lifeline is closed. Escalation is the
     * caller's (see {@link ProcessPool}).
     */
    void stop() {
        synchronized (lock) {
            if (state == State.DEAD) {
                return;
            }
            state = State.STOPPING;
        }
        if (killReason == null) {
            killReason = "stopped by the pool";
        }
        senderThread.interrupt();
        FrameWriter w = writer;
        if (w != null) {
            synchronized (w) {
                try {
                    w.append(FrameType.SHUTDOWN, 0, Frame.EMPTY);
                    w.flush();
                } catch (IOException e) {
                    // the worker is going away anyway
                }
            }
        }
        try {
            process.getOutputStream().close(); // the lifeline: a worker halts when it ends
        } catch (IOException e) {
            // already closed
        }
    }

    // ---- the io thread -------------------------------------------------------------------------

    private void readLoop() {
        try {
            SocketChannel ch = spawned.server().accept();
            channel = ch;
            closeServer();
            FrameReader reader = new FrameReader(ch, pool.options().maxFrameLength());
            handshake(reader.read());
            writer = new FrameWriter(ch, pool.options().maxFrameLength());
            synchronized (lock) {
                if (state != State.STARTING) {
                    return;
                }
                state = State.READY;
            }
            readyNanos = System.nanoTime();
            senderThread.start();
            ready.complete(null);
            Frame frame;
            while ((frame = reader.read()) != null) {
                onFrame(frame);
            }
            killIfStillRunning("closed its channel but did not exit");
        } catch (ProtocolException e) {
            kill("protocol error: " + e.getMessage());
        } catch (IOException e) {
            killIfStillRunning("channel failed (" + e + ") but it did not exit");
        }
    }

    /**
     * The channel ended without a protocol error. A dying worker closes its socket a moment
     * before the kernel reports its exit, so give it a second: only one that lives on is broken
     * and killed. If it exits, the exit handler reports its own exit code.
     */
    private void killIfStillRunning(String reason) {
        State now = state();
        if ((now == State.STARTING || now == State.READY) && !ProcessTrees.awaitExit(process, 1000)) {
            kill(reason);
        }
    }

    private void handshake(Frame frame) throws ProtocolException {
        if (frame == null) {
            throw new ProtocolException("channel closed before the worker said hello");
        }
        if (frame.type() != FrameType.HELLO) {
            throw new ProtocolException("expected HELLO as the first frame, got " + frame + ": "
                    + ProtocolException.hex(frame.payload(), 0, frame.payload().length, 64));
        }
        Messages.Hello hello = Messages.decode(pool.mapper(), frame.payload(), Messages.Hello.class);
        if (hello.protocolVersion() != Messages.PROTOCOL_VERSION) {
            throw new ProtocolException("worker speaks protocol version " + hello.protocolVersion()
                    + " but this supervisor speaks version " + Messages.PROTOCOL_VERSION);
        }
        if (!spawned.token().equals(hello.token())) {
            throw new ProtocolException("worker presented a wrong token");
        }
        LOG.debug("worker {} pid {} ready ({})", slot.id, pid, hello.runtime());
    }

    private void onFrame(Frame frame) throws ProtocolException {
        int type = frame.type();
        if (type != FrameType.RESULT && type != FrameType.FAILURE) {
            throw new ProtocolException("unexpected " + frame + " from worker: "
                    + ProtocolException.hex(frame.payload(), 0, frame.payload().length, 64));
        }
        TaskRecord task = inFlight.remove(frame.correlationId());
        if (task == null) {
            throw new ProtocolException("reply " + frame + " for a task this worker does not hold");
        }
        credits.release();
        slot.tasksCompleted.increment();
        if (type == FrameType.RESULT) {
            complete(task, frame.payload());
        } else {
            Messages.TaskFailure failure = Messages.decode(pool.mapper(), frame.payload(), Messages.TaskFailure.class);
            task.future.completeExceptionally(new io.forkpool.TaskFailedException(task.id, task.type.name(), slot.id,
                    pid, String.valueOf(failure.exceptionClass()), failure.message(), failure.stackTrace()));
        }
    }

    private void complete(TaskRecord task, byte[] document) {
        Object output;
        try {
            output = task.type.decodeOutput(document);
        } catch (JacksonException e) {
            task.future.completeExceptionally(new io.forkpool.ForkPoolException(task + " returned output that"
                    + " cannot be read as " + task.type.outputTypeName() + ": " + e.getOriginalMessage(), e));
            return;
        }
        task.future.complete(output);
    }

    // ---- the sender thread ---------------------------------------------------------------------

    private void sendLoop() {
        BlockingDeque<TaskRecord> queue = pool.queue();
        List<TaskRecord> batch = new ArrayList<>();
        try {
            while (true) {
                credits.acquire();
                TaskRecord first;
                try {
                    first = queue.takeFirst();
                } catch (InterruptedException e) {
                    credits.release();
                    throw e;
                }
                batch.add(first);
                while (credits.tryAcquire()) {
                    TaskRecord next = queue.pollFirst();
                    if (next == null) {
                        credits.release();
                        break;
                    }
                    batch.add(next);
                }
                if (!register(batch, queue)) {
                    return;
                }
                send(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (IOException e) {
            if (state() == State.READY) {
                kill("write to worker failed: " + e);
            }
        }
    }

    /** Registers the batch as in flight, or puts it back at the head of the queue if dying. */
    private boolean register(List<TaskRecord> batch, BlockingDeque<TaskRecord> queue) {
        synchronized (lock) {
            if (state != State.READY) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    queue.addFirst(batch.get(i));
                }
                batch.clear();
                return false;
            }
            for (int i = 0; i < batch.size(); i++) {
                TaskRecord task = batch.get(i);
                if (task.future.isDone()) { // cancelled while queued: skip, give the credit back
                    credits.release();
                    batch.set(i, null);
                } else {
                    inFlight.put(task.id, task);
                }
            }
            return true;
        }
    }

    private void send(List<TaskRecord> batch) throws IOException {
        FrameWriter w = writer;
        synchronized (w) {
            for (TaskRecord task : batch) {
                if (task != null) {
                    w.append(FrameType.TASK, task.id, task.type.namePrefix(), task.input);
                }
            }
            w.flush();
        }
    }

    // ---- exit ----------------------------------------------------------------------------------

    private void onExit() {
        State before;
        synchronized (lock) {
            before = state;
            state = State.DEAD;
        }
        closeServer();
        closeChannel();
        senderThread.interrupt();
        joinQuietly(outputThread, 500); // let the pump take the last lines for the report
        int exitCode = process.exitValue();
        String reason = killReason;
        String description = io.forkpool.internal.protocol.WorkerExitCodes.describe(exitCode);
        if (reason != null) {
            description = reason + "; " + description;
        }
        List<TaskRecord> orphans = new ArrayList<>();
        for (Long id : inFlight.keySet()) {
            TaskRecord task = inFlight.remove(id);
            if (task != null) {
                orphans.add(task);
            }
        }
        long uptimeMillis = (System.nanoTime() - startNanos) / 1_000_000;
        pool.onWorkerExit(this, before, exitCode, description, output.tail().text(), orphans, uptimeMillis);
    }

    boolean diedBeforeReady() {
        return readyNanos == 0;
    }

    long readyNanos() {
        return readyNanos;
    }

    void joinThreads(long millis) {
        joinQuietly(ioThread, millis);
        joinQuietly(senderThread, millis);
        joinQuietly(outputThread, millis);
    }

    private static void joinQuietly(Thread thread, long millis) {
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeServer() {
        try {
            spawned.server().close();
            Files.deleteIfExists(spawned.socket());
        } catch (IOException e) {
            // best effort
        }
    }

    private void closeChannel() {
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // best effort
            }
        }
    }

    @Override
    public String toString() {
        return "worker " + slot.id + " (pid " + pid + ")";
    }
}
