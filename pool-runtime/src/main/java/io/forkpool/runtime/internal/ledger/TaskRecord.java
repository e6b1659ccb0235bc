package io.forkpool.runtime.internal.ledger;

import io.forkpool.TaskDataException;
import io.forkpool.TaskFailedException;
import io.forkpool.WorkerCrashedException;
import io.forkpool.internal.protocol.FrameWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.forkpool.runtime.internal.exec.Scheduler;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One task: its id, its encoded input (kept so it can be sent again), its retry and timeout
 * settings, and its future. Completing the future is the only way a task ends, and
 * CompletableFuture keeps the first completion, so a late reply can never overwrite a timeout, a
 * cancellation or a crash.
 *
 * <p>A task is either one {@code submit} (its future is the caller's) or a <em>span</em> of a
 * {@link Batch}: the inputs {@code [from, to)} of one {@code submitAll}, sent as one TASK when it
 * holds one input and as one BATCH frame otherwise. Its future then completes with {@code null}
 * once its outputs are delivered to the batch, or with the failure that fails the batch.
 */
public final class TaskRecord {

    /**
     * Its id on the wire: the correlation id of its current (or next) send, never the id of an
     * earlier send (PROTOCOL.md 4.1). It is drawn from the pool's one counter when the task is made
     * (a split or cut gives the new part an id of its own) and drawn again for every later send, a
     * retry or a re-send from a dead worker ({@link #prepareSend}). What a run of the task reports
     * (its {@code TaskContext}, its failure, its crash) names the id it ran under. Written by the
     * sender about to write it, before any other thread can find it there; volatile for those.
     */
    private volatile long id;
    /** Whether it has been handed to a worker before; senders only, handed on with the task through the queue. */
    private boolean sent;
    /** What it runs. */
    public final TaskType type;
    /** The encoded input of a single task; {@code null} for a span. */
    private final byte[] input;
    /** The batch a span belongs to, or {@code null}. */
    public final Batch batch;
    /** A span's first input. */
    public final int from;
    /** One past a span's last input; shrinks when the span is cut or split, under its monitor and only while its future is unsettled. */
    int to; // read through size() and to()
    /** How often it may run when its worker dies under it. */
    public final int maxAttempts;
    /** The per-attempt limit, or {@code null}. */
    public final Duration timeout;
    /** Its future: the caller's for a single task; a span's completes with {@code null} once delivered. */
    public final TaskFuture future = new TaskFuture(this);

    /** The attempt to send next, from 1; raised by the exit handler before a retry is queued. */
    public volatile int attempt = 1;
    /** One report per attempt that killed its worker; supervisor thread only. */
    public final List<WorkerCrashedException> crashes = new ArrayList<>(0);
    private static final AtomicIntegerFieldUpdater<TaskRecord> PERMIT =
            AtomicIntegerFieldUpdater.newUpdater(TaskRecord.class, "permit");
    /** 1 while it holds a {@link PendingLimit} permit; 0 before, 2 once given back. */
    private volatile int permit;
    /**
     * The worker driver that holds it, set by that driver's sender before it is written: a
     * cancellation is delivered there. Volatile: set on the sender, read by whoever cancels.
     */
    public volatile TaskOwner owner;
    /** When it became the running task of its worker, or 0; guarded by the owner's in-flight lock. */
    public long startedNanos;
    /** When it was submitted: the start of its queue wait and round trip. */
    public final long queuedNanos;
    /** When it was last handed to a worker, set by the sender before it is admitted; read after its answer. */
    public long sentNanos;
    /** When its answer was read; guarded by the owner's in-flight lock. */
    public long answeredNanos;
    /** Its timeout, while it runs; guarded by the owner's in-flight lock. */
    public Scheduler.Timer clock;

    /**
     * A single task.
     *
     * @param id its id
     * @param type its task type
     * @param input its encoded input
     * @param maxAttempts how often it may run
     * @param timeout the limit of one attempt, or {@code null}
     */
    public TaskRecord(long id, TaskType type, byte[] input, int maxAttempts, Duration timeout) {
        this.id = id;
        this.type = type;
        this.input = input;
        this.batch = null;
        this.from = 0;
        this.to = 1;
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
        this.queuedNanos = System.nanoTime();
    }

    /**
     * A span of a batch: its inputs {@code [from, to)}.
     *
     * @param id its id
     * @param batch its batch
     * @param from its first input
     * @param to one past its last input
     */
    public TaskRecord(long id, Batch batch, int from, int to) {
        this.id = id;
        this.type = batch.type;
        this.input = null;
        this.batch = batch;
        this.from = from;
        this.to = to;
        this.maxAttempts = batch.maxAttempts;
        this.timeout = batch.timeout;
        this.queuedNanos = batch.startNanos;
    }

    /** @return its id on the wire for its current or next send */
    public long id() {
        return id;
    }

    /**
     * Called by the sender about to hand it to a worker, before anything else can find it there:
     * its first send keeps the id it was made with; every later one takes a fresh id, so that no id
     * is ever sent twice in the pool's lifetime (an id is skipped when a send is given up).
     *
     * @param ids where fresh ids come from
     */
    public void prepareSend(TaskSource ids) {
        if (sent) {
            id = ids.newTaskId();
        }
        sent = true;
    }

    /** @return how many inputs it carries: 1 unless it is a span of several */
    public int size() {
        return to - from;
    }

    /**
     * @return the inputs the tasks carry together
     * @param tasks the tasks
     */
    public static long inputs(List<TaskRecord> tasks) {
        long count = 0;
        for (TaskRecord task : tasks) {
            count += task.size();
        }
        return count;
    }

    /** @return whether it travels as a BATCH frame (a span of more than one input) */
    public boolean isChunk() {
        return batch != null && to - from > 1;
    }

    /** @return the encoded length of its first (for a single task, its only) input */
    public int firstInputLength() {
        return batch == null ? input.length : batch.inputs.length(from);
    }

    /** @return one past its last input */
    public int to() {
        return to;
    }

    /**
     * Writes it to its worker: a single task, or a span of one input, as a TASK frame; a span of
     * several as one BATCH frame of its inputs' range of the batch's array. Each is copied
     * straight from the encoded inputs into the writer's buffer.
     *
     * @param writer the worker's writer
     * @throws IOException if the writer fails
     */
    public void appendTo(FrameWriter writer) throws IOException {
        if (batch == null) {
            writer.appendTask(id, type.namePrefix(), attempt, input);
            return;
        }
        EncodedInputs inputs = batch.inputs;
        int end = to;
        if (end - from == 1) {
            writer.appendTask(id, type.namePrefix(), attempt, inputs.array(from), inputs.offset(from), inputs.length(from));
        } else {
            writer.appendBatch(id, type.namePrefix(), attempt, inputs.array(from), inputs.offset(from),
                    inputs.rangeLength(from, end), end - from);
        }
    }

    /**
     * @return where in this span the input a {@link TaskFailedException} or {@link TaskDataException}
     *     names is, from 0, or -1 if the failure names none of its inputs and so fails all of them
     *     (a crash, a single task)
     * @param error how the task ended, or {@code null}
     */
    public int failedOffset(Throwable error) {
        int index = error instanceof TaskFailedException failed ? failed.inputIndex()
                : error instanceof TaskDataException data ? data.inputIndex() : -1;
        if (batch != null && index >= 0) {
            if (index >= from && index < to) {
                return index - from;
            }
        }
        return -1;
    }

    /** Records that it holds a {@link PendingLimit} permit; before it is queued. */
    void holdPermit() {
        permit = 1;
    }

    /**
     * @return true exactly once, for the caller that must give a held permit back: whoever sees
     *     the task completed first, its completion handler or the thread that queued it
     */
    boolean releasePermit() {
        return permit == 1 && PERMIT.compareAndSet(this, 1, 2); // a plain read first: most pools bound nothing
    }

    /**
     * @return how long it was its worker's running task, once answered; -1 if it never became the
     *     running one (answered while still waiting, e.g. cancelled)
     */
    public long serviceNanos() {
        return startedNanos == 0 ? -1 : answeredNanos - startedNanos;
    }

    /** Cancels the timeout, if one runs. Under the holder's lock. */
    public void stopClock() {
        if (clock != null) {
            clock.cancel();
            clock = null;
        }
    }

    @Override
    public String toString() {
        if (batch == null) {
            return "task " + id + " (" + type.name() + ")";
        }
        return "task " + id + " (" + type.name() + ", " + (to - from == 1 ? "input " + from
                : "inputs " + from + ".." + (to - 1)) + " of a batch)";
    }
}
