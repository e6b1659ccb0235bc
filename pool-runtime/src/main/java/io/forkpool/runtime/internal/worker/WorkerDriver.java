package io.forkpool.runtime.internal.worker;

import io.forkpool.ExitCause;
import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameReader;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import io.forkpool.internal.protocol.WorkerExitCodes;
import io.forkpool.runtime.internal.exec.PoolThread;
import io.forkpool.runtime.internal.exec.Scheduler;
import io.forkpool.runtime.internal.ledger.TaskOwner;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import io.forkpool.runtime.internal.ledger.TaskSource;
import io.forkpool.runtime.internal.observe.LatencyRecorder;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one worker process from spawn to exit. Owns the process's {@link WorkerLink}, its
 * channel and three threads: {@code -io} accepts the connection, checks the hello and reads
 * every frame ({@link Replies}) until the channel ends; {@code -sender} ({@link Sender}) writes
 * to the worker (all but the single tasks a submitting thread writes to it while it is idle,
 * under the same write lock); {@code -output} pumps its stdout/stderr. Its timers —
 * start-up deadline, task timeouts, cancel grace, liveness probe, stop escalation — run on the
 * pool's {@link Scheduler}, and never block it. It reports to a {@link WorkerListener} and holds
 * no reference to the pool.
 *
 * <p>The exit is reported from the io thread once the process has exited <em>and</em> every
 * frame it wrote has been read, so a reply that was on its way is never mistaken for a lost one.
 *
 * <p>Its state machine is {@link WorkerState}; {@link #advance} alone changes it.
 */
public final class WorkerDriver implements TaskOwner {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");

    /** How long a worker whose channel ended may take to exit before it is killed as broken. */
    static final long CHANNEL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The slot it serves, or a spare's position until it is adopted. */
    private volatile Placement placement;
    private final int incarnation;
    /** Started as a warm spare: after its hello it waits in SPARE for {@link #adopt}. */
    private final boolean spare;
    private final WorkerLink link;
    private final DriverConfig config;
    private final Scheduler scheduler;
    private final TaskSource source;
    private final WorkerListener listener;
    private final Supplier<LatencyRecorder> recorders;
    private final long startNanos;
    private final Prefetch prefetch;
    private final InFlightTasks inFlight;
    private final OutputPump output;
    private final Thread ioThread;
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    /** Completes when the first frame after the hello has been read: the worker has answered. */
    private final CompletableFuture<Void> answered = new CompletableFuture<>();
    private final ProbeClock probe;
    /** Read by the in-flight record's start callback, which can run only once a task is admitted, after the constructor. */
    private final TaskWatch watch;

    private final Object lock = new Object();
    private WorkerState state = WorkerState.STARTING; // guarded by lock
    /** Why the pool ended this worker, if it did; first writer wins (under lock). Read by the exit report. */
    private volatile ExitCause endedBy;
    private volatile String endReason;
    /** Set on the io thread once connected; closed by the exit. */
    private volatile ByteChannel channel;
    /** Set on the io thread before the state is READY. */
    private volatile Sender sender;
    private volatile Replies replies;
    private volatile boolean answersPings;
    private volatile Thread senderThread;
    private volatile long readyNanos;
    private volatile Scheduler.Timer startupTimer = Scheduler.NONE;
    private final StopEscalation escalation;

    /**
     * @param slot the slot id
     * @param incarnation the slot's how-manieth worker this is
     * @param link the spawned worker
     * @param config the pool's settings
     * @param scheduler the supervisor thread and clock
     * @param source where the sender takes tasks from
     * @param listener told of readiness, retirement and exit
     * @param recorders a new latency recorder once ready, or {@code null} from it when the pool records none
     * @param inputsAnswered told how many inputs each answer carried (a chunk's each counted);
     *     a spare's is replaced at {@link #adopt}
     * @param spare whether it starts as a warm spare, which takes tasks only once adopted
     */
    public WorkerDriver(int slot, int incarnation, WorkerLink link, DriverConfig config, Scheduler scheduler,
            TaskSource source, WorkerListener listener, Supplier<LatencyRecorder> recorders,
            LongConsumer inputsAnswered, boolean spare) {
        this.placement = Placement.of(config, slot, inputsAnswered);
        this.incarnation = incarnation;
        this.spare = spare;
        this.link = link;
        this.config = config;
        this.scheduler = scheduler;
        this.source = source;
        this.listener = listener;
        this.recorders = recorders;
        this.startNanos = scheduler.nanoTime();
        this.prefetch = new Prefetch(config.tasksInFlight());
        this.inFlight = new InFlightTasks(config.maxTasksPerWorker(), this::taskStarted, scheduler::nanoTime);
        this.output = new OutputPump(link.output(), placement.name() + " pid " + link.pid());
        this.ioThread = new PoolThread(this::serve, placement.threadPrefix() + "-io");
        this.probe = new ProbeClock(config.silenceNanos(), config.probeNanos(), scheduler.nanoTime());
        this.watch = new TaskWatch(this, scheduler, inFlight, probe, config, link.pid());
        this.escalation = new StopEscalation(link, scheduler, config, this, () -> state() == WorkerState.DEAD);
    }

    /** Starts the threads and the start-up deadline; called once, right after spawning. */
    public void start() {
        output.start(placement.threadPrefix() + "-output");
        ioThread.start();
        startupTimer = scheduler.schedule(() -> {
            if (state() == WorkerState.STARTING) {
                kill(ExitCause.STARTUP_FAILURE, "did not say hello within " + Duration.ofNanos(config.startupNanos()));
            }
        }, config.startupNanos());
        link.onExit().thenRun(this::onProcessExit);
    }

    // ---- state ---------------------------------------------------------------------------------

    /**
     * The one place the state changes.
     *
     * @return whether the transition was legal from the current state, and so made
     */
    private boolean advance(WorkerState to) {
        synchronized (lock) {
            if (!WorkerState.TRANSITIONS.get(state).contains(to)) {
                return false;
            }
            state = to;
            return true;
        }
    }

    /** @return the current state */
    public WorkerState state() {
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

    // ---- ending --------------------------------------------------------------------------------

    /**
     * Kills the worker and its whole session at once, recording why. Any thread, never blocks.
     *
     * @param cause how the end is classified
     * @param reason why, in words
     */
    public void kill(ExitCause cause, String reason) {
        endedBy(cause, reason);
        link.signal(true);
    }

    /**
     * Stops the worker, and always ends it: SHUTDOWN and its lifeline closed, SIGTERM to its tree
     * after a grace period, SIGKILL after another. Any thread, never blocks; harmless when it is
     * already stopping.
     *
     * @param cause how the end is classified
     * @param reason why, in words
     */
    public void stop(ExitCause cause, String reason) {
        if (!advance(WorkerState.STOPPING)) {
            return;
        }
        inFlight.stopAccepting();
        endedBy(cause, reason);
        Sender s = sender;
        if (s != null) {
            s.stop(true);
        }
        link.closeLifeline();
        escalation.begin();
    }

    /**
     * Stops giving this worker tasks, has the listener start its replacement, and stops it once
     * the tasks it holds are answered. The io thread.
     */
    private void retire(String why) {
        if (!advance(WorkerState.RETIRING)) {
            return;
        }
        inFlight.stopAccepting();
        endedBy(ExitCause.RETIRED, why);
        sender.stopPulling();
        LOG.info("pool {}: retiring {}: {}", config.poolName(), this, why);
        listener.retiring(this);
        if (inFlight.isEmpty()) {
            stop(ExitCause.RETIRED, why);
        }
    }

    /**
     * The channel ended, or a write failed, without a protocol error. A dying worker closes its
     * socket a moment before the kernel reports its exit, so it gets a grace period: only one that
     * lives on is broken and killed; one that exits is classified by its own exit code.
     */
    private void channelBroken(String reason) {
        WorkerState now = state();
        if (now.ending()) {
            return;
        }
        scheduler.schedule(() -> {
            if (state() != WorkerState.DEAD && link.isAlive()) {
                kill(now == WorkerState.STARTING ? ExitCause.STARTUP_FAILURE : ExitCause.PROTOCOL_VIOLATION, reason);
            }
        }, CHANNEL_GRACE_NANOS);
    }

    /** The process exited: unblock a pending accept, and make sure the io thread does not wait on a held-open channel. */
    private void onProcessExit() {
        link.close();
        scheduler.schedule(this::closeChannel, CHANNEL_GRACE_NANOS);
    }

    // ---- the io thread -------------------------------------------------------------------------

    private void serve() {
        try {
            ByteChannel ch = link.accept();
            channel = ch;
            link.close();
            FrameReader reader = new FrameReader(ch, config.maxFrameLength());
            Messages.Hello hello = Handshake.check(reader.read(), link.token());
            connected(hello, new FrameWriter(ch, config.maxFrameLength()));
            Frame frame;
            while ((frame = reader.read()) != null) {
                probe.heard(scheduler.nanoTime());
                replies.onFrame(frame);
                if (!answered.isDone()) {
                    answered.complete(null);
                }
            }
            channelBroken("closed its channel but did not exit");
        } catch (ProtocolException e) {
            kill(state() == WorkerState.STARTING ? ExitCause.STARTUP_FAILURE : ExitCause.PROTOCOL_VIOLATION,
                    "protocol error: " + e.getMessage());
        } catch (IOException e) {
            channelBroken("channel failed (" + e + ") but it did not exit");
        } finally {
            link.onExit().join();
            report();
        }
    }

    /** The hello was good: start the sender, become READY, and say so. */
    private void connected(Messages.Hello hello, FrameWriter writer) {
        LatencyRecorder latency = recorders.get();
        replies = new Replies(this::slot, link.pid(), inFlight, prefetch, latency, config.maxTasksPerWorker(),
                config.maxWorkerHeapBytes(), new Replies.Consequences() {
                    @Override
                    public void retire(String why) {
                        WorkerDriver.this.retire(why);
                    }

                    @Override
                    public void drained() {
                        if (state() == WorkerState.RETIRING) {
                            stop(ExitCause.RETIRED, endReason);
                        }
                    }
                }, n -> placement.inputsAnswered().accept(n));
        sender = new Sender(writer, source, prefetch, inFlight, this, config.workers(), config.maxFrameLength(),
                hello.acceptsBatches(), this::channelBroken, why -> kill(ExitCause.RETIRED, why));
        answersPings = hello.answersPings();
        if (spare) {
            sender.stopPulling(); // until adopted; control frames (SHUTDOWN) still go out
        }
        if (!advance(spare ? WorkerState.SPARE : WorkerState.READY)) {
            sender = null;
            return; // stopped meanwhile: its lifeline is closed, its exit follows
        }
        readyNanos = scheduler.nanoTime();
        probe.heard(readyNanos);
        startupTimer.cancel();
        Thread senderThread = new PoolThread(sender, placement.threadPrefix() + "-sender");
        this.senderThread = senderThread;
        senderThread.start();
        if (!spare) {
            serveTasks();
            if (incarnation > 1) { // a replacement is news; the pool's first workers are announced together
                LOG.info("pool {}: {} pid {} ready, replacing its predecessor", config.poolName(), placement.name(),
                        link.pid());
            }
        }
        LOG.debug("{} pid {} ready ({}, features {})", placement.name(), link.pid(), hello.runtime(), hello.features());
        listener.ready(this);
    }

    /** Has the sender pull tasks from now on, and starts the liveness probe. */
    private void serveTasks() {
        if (spare) {
            sender.startPulling();
        }
        if (answersPings) {
            watch.startProbing();
        }
    }

    /**
     * Puts a warm spare to work in a slot: from SPARE to READY, its figures counted for the slot,
     * its sender started. Any thread.
     *
     * @param slotId the slot it serves from now on
     * @param answered told how many inputs each answer carried, for the slot's figures
     * @return whether it was a spare and is now the slot's worker; {@code false} if it is being
     *     stopped or has died (it is no use)
     */
    public boolean adopt(int slotId, LongConsumer answered) {
        synchronized (lock) {
            if (state != WorkerState.SPARE) {
                return false;
            }
            placement = Placement.of(config, slotId, answered);
            advance(WorkerState.READY);
        }
        Placement now = placement;
        ioThread.setName(now.threadPrefix() + "-io");
        senderThread.setName(now.threadPrefix() + "-sender"); // started before the spare was reported ready
        output.retag(now.name() + " pid " + link.pid(), now.threadPrefix() + "-output");
        probe.heard(scheduler.nanoTime());
        serveTasks();
        LOG.info("pool {}: worker {} pid {} (a warm spare) serving, replacing its predecessor", config.poolName(),
                slotId, link.pid());
        return true;
    }

    /** Reports the exit, once the process has exited and the channel has been read to its end. */
    private void report() {
        listener.gone(this);
        java.util.List<TaskRecord> orphans = inFlight.close();
        startupTimer.cancel();
        escalation.cancel();
        Sender s = sender;
        if (s != null) {
            s.stop(false);
        }
        closeChannel();
        link.close();
        link.killLeftovers();
        String tail = output.finish(link::killOutputHolders).text(); // its last lines, for the report
        int exitCode = link.exitValue();
        ExitCause cause = ExitClassifier.classify(exitCode, endedBy, readyNanos == 0, tail, config.jvmWorkers());
        String code = WorkerExitCodes.describe(exitCode, cause == ExitCause.OUT_OF_MEMORY, config.jvmWorkers(),
                readyNanos != 0);
        String description = endReason == null ? code : endReason + "; " + code;
        long now = scheduler.nanoTime();
        Replies r = replies;
        WorkerExit exit = new WorkerExit(this, cause, exitCode, description, tail, orphans,
                TimeUnit.NANOSECONDS.toMillis(now - startNanos), r == null ? 0 : r.served(), readyNanos == 0,
                readyNanos == 0 ? 0 : now - readyNanos, ExitClassifier.killedFromOutside(exitCode, endedBy));
        try {
            listener.exited(exit);
        } finally {
            advance(WorkerState.DEAD);
            exited.complete(null);
        }
    }

    private void closeChannel() {
        ByteChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // best effort
            }
        }
    }


    // ---- cancellation --------------------------------------------------------------------------

    @Override
    public void cancelled(TaskRecord task) {
        watch.cancelled(task);
    }

    /** A task became the running one (under the in-flight monitor): its timeout starts. */
    private void taskStarted(TaskRecord task) {
        watch.started(task);
    }

    // ---- figures -------------------------------------------------------------------------------

    /** @return the slot id, or a spare's id (from the pool's worker count on) until it is adopted */
    public int slot() {
        return placement.id();
    }

    /** @return the worker's process id */
    public long pid() {
        return link.pid();
    }

    /** @return the supervisor clock's reading when the worker was spawned */
    public long startNanos() {
        return startNanos;
    }

    /** @return the sender, once the worker is ready; {@code null} before */
    Sender sender() {
        return sender;
    }

    /** @return the heap use it last reported, or -1 */
    public long heapUsedBytes() {
        Replies r = replies;
        return r == null ? -1 : r.heapUsedBytes();
    }

    /**
     * @return completes when the worker's first frame after its hello has been read (a task's
     *     answer, as a rule); never, if it dies first. Completed on the io thread: keep what
     *     depends on it short, or hand it on
     */
    public CompletableFuture<Void> answered() {
        return answered;
    }

    /** @return completes once the exit has been reported and the driver is DEAD */
    public CompletableFuture<Void> exited() {
        return exited;
    }

    @Override
    public String toString() {
        return placement.name() + " (pid " + link.pid() + ")";
    }
}
