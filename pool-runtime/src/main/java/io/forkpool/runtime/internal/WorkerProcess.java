package io.forkpool.runtime.internal;

import io.forkpool.ExitCause;
import io.forkpool.ForkPoolException;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskTimeoutException;
import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameReader;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import io.forkpool.internal.protocol.WorkerExitCodes;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * One worker process, from spawn to exit, and its three threads.
 *
 * <pre>
 * State machine (transitions under {@code lock}):
 *   STARTING --hello ok--> READY --task/heap limit--> RETIRING --last reply--> STOPPING --exit--> DEAD
 *   READY, RETIRING --stop()--> STOPPING
 *   STARTING --exit / start-up timeout (killed) / bad hello (killed)--> DEAD
 *   READY, RETIRING --exit / protocol violation (killed) / timeout not honoured (killed)--> DEAD
 * </pre>
 *
 * Threads: {@code -io} accepts the connection, checks the hello and reads replies; {@code -sender}
 * refills this worker from the pool's shared queue whenever it holds at most half its {@link Prefetch} depth;
 * {@code -output} pumps the process's stdout/stderr. Process exit, observed through
 * {@link Process#onExit()} (not EOF: a grandchild may hold a pipe open), ends everything and hands
 * the tasks still in flight back to the pool.
 *
 * <p>The tasks it holds are kept by {@link InFlightTasks}, in the order they were written.
 */
final class WorkerProcess {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");

    /** After asking a worker to cancel its running task, how long it has before it is killed. */
    static final long CANCEL_GRACE_MILLIS = 500;

    enum State { STARTING, READY, RETIRING, STOPPING, DEAD }

    final WorkerSlot slot;
    final Process process;
    final long pid;
    final long startNanos = System.nanoTime();
    /** Completes when the hello has been accepted, or exceptionally when the worker died before. */
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Completes when the pool has handled this process's exit: its tasks settled, its restart decided. */
    final CompletableFuture<Void> exitHandled = new CompletableFuture<>();

    private final ProcessPool pool;
    private final WorkerLauncher.Spawned spawned;
    private final Prefetch prefetch;
    private final OutputPump output;
    private final Thread ioThread;
    private final Thread senderThread;
    private final Thread outputThread;

    private final Object lock = new Object();
    private State state = State.STARTING; // guarded by lock
    private final InFlightTasks inFlight;

    // Why the pool ended this worker, if it did; first writer wins. Read by the exit handler.
    private volatile ExitCause endedBy;
    private volatile String endReason;
    private volatile SocketChannel channel;
    private volatile FrameWriter writer; // writes are made under its monitor
    private volatile long readyNanos;
    private volatile long served;   // written by the io thread only
    /** Set when the sender must stop; it is interrupted too unless it is writing (see {@link #stopSender}). */
    private volatile boolean senderStopping;
    /** Whether the sender is writing frames; guarded by {@code senderGate}. */
    private boolean senderWriting;
    private final Object senderGate = new Object();
    /** Whether the worker's hello listed the batch feature; set before the sender starts. */
    private volatile boolean acceptsBatches;
    /**
     * Records the latencies of the tasks this process answers, or {@code null} if the pool records
     * none; the io thread's alone. Made once the worker is ready, on the io thread: loading
     * HdrHistogram takes ~25 ms in a fresh JVM, which spawning the first worker should not wait for.
     */
    private LatencyRecorder latency;

    WorkerProcess(ProcessPool pool, WorkerSlot slot, WorkerLauncher.Spawned spawned, int tasksInFlight) {
        this.pool = pool;
        this.slot = slot;
        this.spawned = spawned;
        this.process = spawned.process();
        this.pid = process.pid();
        this.prefetch = new Prefetch(tasksInFlight);
        this.inFlight = new InFlightTasks(pool.options().maxTasksPerWorker(), this::startClock);
        String prefix = pool.name() + "-worker-" + slot.id;
        this.output = new OutputPump(process.getInputStream(), "worker " + slot.id + " pid " + pid);
        this.ioThread = new PoolThread(this::readLoop, prefix + "-io");
        this.senderThread = new PoolThread(this::sendLoop, prefix + "-sender");
        this.outputThread = new PoolThread(output, prefix + "-output");
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

    private void endedBy(ExitCause cause, String reason) {
        synchronized (lock) {
            if (endedBy == null) {
                endReason = reason;
                endedBy = cause;
            }
        }
    }

    /** Kills the worker and its whole session at once, recording why. */
    void kill(ExitCause cause, String reason) {
        endedBy(cause, reason);
        ProcessTrees.signal(process.toHandle(), true);
    }

    /**
     * Asks the worker to exit: a SHUTDOWN frame, then its lifeline is closed. Escalation is the
     * pool's ({@link ProcessPool#close()}).
     */
    void stop(ExitCause cause, String reason) {
        synchronized (lock) {
            if (state == State.DEAD) {
                return;
            }
            state = State.STOPPING;
        }
        inFlight.stopAccepting();
        endedBy(cause, reason);
        stopSender();
        write(FrameType.SHUTDOWN, 0); // on close()'s caller thread: FrameWriter sets its interrupt aside
        try {
            process.getOutputStream().close(); // the lifeline: a worker halts when it ends
        } catch (IOException e) {
            // already closed
        }
    }

    /** Writes a control frame; failures are left to the exit handler. */
    private void write(int type, long correlationId) {
        FrameWriter w = writer;
        if (w != null) {
            synchronized (w) {
                try {
                    w.append(type, correlationId, Frame.EMPTY);
                    w.flush();
                } catch (IOException e) {
                    // the worker is going away; its exit is handled elsewhere
                }
            }
        }
    }

    // ---- the io thread -------------------------------------------------------------------------

    private void readLoop() {
        try {
            readReplies();
        } finally {
            if (latency != null) {
                latency.close();
            }
        }
    }

    private void readReplies() {
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
            latency = pool.latencyRecorder();
            senderThread.start();
            ready.complete(null);
            Frame frame;
            while ((frame = reader.read()) != null) {
                onFrame(frame);
            }
            killIfStillRunning("closed its channel but did not exit");
        } catch (ProtocolException e) {
            kill(state() == State.STARTING ? ExitCause.STARTUP_FAILURE : ExitCause.PROTOCOL_VIOLATION,
                    "protocol error: " + e.getMessage());
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
        if (now != State.STOPPING && now != State.DEAD && !ProcessTrees.awaitExit(process, 1000)) {
            kill(now == State.STARTING ? ExitCause.STARTUP_FAILURE : ExitCause.PROTOCOL_VIOLATION, reason);
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
        Messages.Hello hello = Messages.decode(frame.payload(), Messages.Hello.class);
        if (hello.protocolVersion() != Messages.PROTOCOL_VERSION) {
            throw new ProtocolException("worker speaks protocol version " + hello.protocolVersion()
                    + " but this supervisor speaks version " + Messages.PROTOCOL_VERSION);
        }
        if (!spawned.token().equals(hello.token())) {
            throw new ProtocolException("worker presented a wrong token");
        }
        acceptsBatches = hello.acceptsBatches();
        if (slot.incarnations > 1) { // a replacement is news; the pool's first workers are announced together
            LOG.info("pool {}: worker {} pid {} ready, replacing its predecessor", pool.name(), slot.id, pid);
        }
        LOG.debug("worker {} pid {} ready ({}, features {})", slot.id, pid, hello.runtime(), hello.features());
    }

    private void onFrame(Frame frame) throws ProtocolException {
        int type = frame.type();
        if (type == FrameType.STATUS) {
            onStatus(Messages.decode(frame.payload(), Messages.Status.class));
            return;
        }
        if (type != FrameType.RESULT && type != FrameType.FAILURE) {
            throw new ProtocolException("unexpected " + frame + " from worker: "
                    + ProtocolException.hex(frame.payload(), 0, frame.payload().length, 64));
        }
        // Decoded before the task leaves the in-flight set: if the report is malformed, the task is
        // still held, so the kill that follows settles it rather than leaving its future hanging.
        Messages.TaskFailure failure = type == FrameType.FAILURE
                ? Messages.decode(frame.payload(), Messages.TaskFailure.class)
                : null;
        TaskRecord held = inFlight.peek(frame.correlationId());
        if (held == null) {
            throw new ProtocolException("reply " + frame + " for a task this worker does not hold: "
                    + ProtocolException.hex(frame.payload(), 0, frame.payload().length, 64));
        }
        if (failure != null && held.isChunk() && failure.index() != null
                && (failure.index() < 0 || failure.index() >= held.size())) {
            throw new ProtocolException("FAILURE of " + held + " names input " + failure.index() + " of "
                    + held.size());
        }
        Object outputs = failure == null ? decodeOutputs(held, frame.payload()) : null;
        TaskRecord task = inFlight.answer(frame.correlationId());
        if (task == null) {
            return; // the worker exited meanwhile: its exit handler settles the task
        }
        boolean drained = inFlight.isEmpty();
        long serviceNanos = task.serviceNanos();
        prefetch.answered(serviceNanos);
        served++;
        slot.tasksCompleted.add(task.size());
        if (latency != null) {
            latency.record(task);
        }
        if (failure != null) {
            int index = task.batch == null ? -1
                    : task.from + (task.isChunk() && failure.index() != null ? failure.index() : 0);
            task.future.completeExceptionally(new TaskFailedException(new io.forkpool.TaskFailureReport(task.id,
                    task.type.name(), index, slot.id, pid, String.valueOf(failure.exceptionClass()), failure.message(),
                    failure.stackTrace())));
        } else {
            task.type.measured(serviceNanos, task.size(), frame.payload().length);
            complete(task, outputs);
        }
        long maxTasks = pool.options().maxTasksPerWorker();
        if (maxTasks > 0 && served >= maxTasks) {
            retire("served " + served + " tasks (maxTasksPerWorker " + maxTasks + ")");
        }
        if (drained && state() == State.RETIRING) {
            stop(ExitCause.RETIRED, endReason);
        }
    }

    private void onStatus(Messages.Status status) {
        slot.heapUsedBytes = status.heapUsed();
        long limit = pool.options().maxWorkerHeapBytes();
        if (limit > 0 && status.heapUsed() > limit) {
            retire("heap use " + status.heapUsed() + " bytes above maxWorkerHeapBytes " + limit);
        }
    }

    /**
     * Decodes a RESULT while its task is still held: the output, the outputs of a chunk as an
     * {@code Object[]}, or a {@link ForkPoolException} if they do not decode as the task's output
     * type, which fails that task only.
     *
     * @throws ProtocolException if a chunk's RESULT is not an array of one output per input
     */
    private static Object decodeOutputs(TaskRecord task, byte[] document) throws ProtocolException {
        try {
            return task.isChunk() ? task.type.decodeOutputs(document, task.size()) : task.type.decodeOutput(document);
        } catch (JacksonException e) {
            return new ForkPoolException(task + " returned output that cannot be read as "
                    + task.type.outputTypeName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static void complete(TaskRecord task, Object outputs) {
        if (outputs instanceof ForkPoolException) {
            task.future.completeExceptionally((ForkPoolException) outputs);
        } else if (task.batch == null) {
            task.future.complete(outputs);
        } else if (task.future.complete(null)) { // counts the span before the batch can complete
            task.batch.deliver(task.from, task.isChunk() ? (Object[]) outputs : new Object[] {outputs});
        }
    }

    /**
     * Stops giving this worker tasks, has the pool start its replacement first, and stops it once
     * the tasks it holds are answered. io thread.
     */
    private void retire(String why) {
        synchronized (lock) {
            if (state != State.READY) {
                return;
            }
            state = State.RETIRING;
        }
        inFlight.stopAccepting();
        boolean idle = inFlight.isEmpty();
        endedBy(ExitCause.RETIRED, why);
        stopSender();
        LOG.info("pool {}: retiring {}: {}", pool.name(), this, why);
        pool.replace(this);
        if (idle) {
            stop(ExitCause.RETIRED, why);
        }
    }

    // ---- timeouts and cancellation -------------------------------------------------------------

    /** A task became the running one: start its timeout, if it has one. Under the in-flight monitor. */
    private void startClock(TaskRecord task) {
        if (task.timeout != null) {
            task.clock = pool.supervisor().schedule(() -> onTimeout(task), task.timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void onTimeout(TaskRecord task) {
        if (!inFlight.holds(task)) {
            return;
        }
        if (task.future.completeExceptionally(new TaskTimeoutException(task.id, task.type.name(), task.timeout,
                slot.id, pid))) {
            requestCancel(task, "timed out after " + task.timeout);
        }
    }

    /** The task's future was cancelled by its caller; if this worker holds it, stop it. Any thread. */
    void onCancelled(TaskRecord task) {
        if (inFlight.holds(task)) {
            requestCancel(task, "was cancelled");
        }
    }

    /**
     * Sends CANCEL; a task still running a grace period later costs the worker its life. The frame
     * is written by the supervisor thread, never by the thread that cancelled: a caller's thread
     * may be interrupted by anyone at any moment (an executor shutting down, say), and one
     * interrupted during the write would have NIO close the worker's channel.
     */
    private void requestCancel(TaskRecord task, String why) {
        try {
            pool.supervisor().execute(() -> write(FrameType.CANCEL, task.id));
        } catch (RejectedExecutionException e) {
            return; // the pool is closing: the worker is being stopped anyway
        }
        pool.supervisor().schedule(() -> enforceCancel(task, why), CANCEL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void enforceCancel(TaskRecord task, String why) {
        if (!inFlight.holds(task)) {
            return; // the worker answered
        }
        long runningFor = inFlight.runningNanos(task, System.nanoTime());
        if (runningFor >= TimeUnit.MILLISECONDS.toNanos(CANCEL_GRACE_MILLIS)) {
            kill(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL, task + " " + why + " and did not stop within "
                    + CANCEL_GRACE_MILLIS + " ms of being cancelled");
        } else {
            // Still queued inside the worker (it will skip it), or only just started: look again.
            pool.supervisor().schedule(() -> enforceCancel(task, why), CANCEL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    // ---- the sender thread ---------------------------------------------------------------------

    /**
     * Stops the sender: interrupts it out of its waits, but never during a write, since NIO closes
     * a channel whose writer is interrupted: a retiring worker would lose the replies it still
     * owes, and their tasks would run twice. A sender that is writing sees the flag when done.
     */
    private void stopSender() {
        senderStopping = true;
        synchronized (senderGate) {
            if (!senderWriting) {
                senderThread.interrupt();
            }
        }
    }

    private void sendLoop() {
        TaskQueue queue = pool.queue();
        List<TaskRecord> batch = new ArrayList<>();
        try {
            while (true) {
                prefetch.awaitRoom();
                batch.add(queue.takeFirst());
                // Fill up to the depth, under one lock; the task taken goes out even if the depth just shrank.
                int room = prefetch.room();
                if (room > 1) {
                    queue.drainTo(batch, room - 1);
                }
                long now = System.nanoTime();
                for (TaskRecord task : batch) {
                    if (task.size() > 1 && !task.future.isDone()) { // a cancelled span is dropped whole
                        int chunk = acceptsBatches
                                ? ChunkSizer.chunkSize(task, pool.options().workers(), pool.options().maxFrameLength())
                                : 1;
                        if (chunk < task.size()) {
                            pool.cut(task, chunk);
                        }
                    }
                    task.holder = this; // so a cancellation finds it from now on
                    task.sentNanos = now;
                }
                InFlightTasks.Admission admission = inFlight.admit(batch, queue::addFirst);
                if (admission == InFlightTasks.Admission.CLOSED) {
                    return;
                }
                prefetch.took(batch.size());
                synchronized (senderGate) {
                    senderWriting = true; // a stop from now on only sets the flag, seen below
                }
                try {
                    send(batch);
                } finally {
                    synchronized (senderGate) {
                        senderWriting = false;
                    }
                }
                batch.clear();
                if (admission == InFlightTasks.Admission.FULL || senderStopping) {
                    return; // FULL: the last reply retires this worker
                }
            }
        } catch (InterruptedException e) {
            // stopping or retiring
        } catch (IOException e) {
            kill(ExitCause.PROTOCOL_VIOLATION, "write to worker failed: " + e);
        }
    }

    private void send(List<TaskRecord> batch) throws IOException {
        FrameWriter w = writer;
        synchronized (w) {
            for (TaskRecord task : batch) {
                if (task.isChunk()) {
                    w.appendBatch(task.id, task.type.namePrefix(), task.attempt, task.batch.inputs, task.from, task.to);
                } else {
                    w.appendTask(task.id, task.type.namePrefix(), task.attempt, task.input());
                }
            }
            w.flush();
        }
    }

    // ---- exit ----------------------------------------------------------------------------------

    private void onExit() {
        try {
            reportExit();
        } finally {
            exitHandled.complete(null);
        }
    }

    private void reportExit() {
        State before;
        synchronized (lock) {
            before = state;
            state = State.DEAD;
        }
        List<TaskRecord> orphans = inFlight.close();
        closeServer();
        closeChannel();
        senderThread.interrupt();
        ProcessTrees.killSessionLeftovers(pid);
        joinQuietly(outputThread, 500); // let the pump take the last lines for the report
        int exitCode = process.exitValue();
        String tail = output.tail().text();
        ExitCause cause = ExitClassifier.classify(exitCode, endedBy, readyNanos == 0, tail);
        String description = endReason == null
                ? WorkerExitCodes.describe(exitCode)
                : endReason + "; " + WorkerExitCodes.describe(exitCode);
        long uptimeMillis = (System.nanoTime() - startNanos) / 1_000_000;
        pool.onWorkerExit(new WorkerExit(this, before, cause, exitCode, description, tail, orphans, uptimeMillis,
                served));
    }

    boolean wasReady() {
        return readyNanos != 0;
    }

    long readyForNanos() {
        return readyNanos == 0 ? 0 : System.nanoTime() - readyNanos;
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
