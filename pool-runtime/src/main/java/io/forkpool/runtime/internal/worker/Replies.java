package io.forkpool.runtime.internal.worker;

import io.forkpool.ForkPoolException;
import io.forkpool.TaskDataException;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskFailureReport;
import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import io.forkpool.runtime.internal.ledger.UndecodableOutputException;
import io.forkpool.runtime.internal.observe.LatencyRecorder;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import tools.jackson.core.JacksonException;

/**
 * What a worker's {@code -io} thread does with each frame it reads after the hello: checks it
 * against what the worker holds, decodes it, completes the task's future exactly once, and keeps
 * the worker's figures. A frame that breaks the protocol throws, with the task still held, so the
 * kill that follows settles it rather than leaving its future pending.
 *
 * <p>Confined to the io thread, apart from the figures, which are volatile for the stats reader.
 */
final class Replies {

    /** What the driver does about what the replies show. */
    interface Consequences {
        /** The worker should be retired, for the reason given. */
        void retire(String why);

        /** The worker answered its last held task while retiring. */
        void drained();
    }

    private final IntSupplier workerId;
    private final long pid;
    private final InFlightTasks inFlight;
    private final Prefetch prefetch;
    private final LatencyRecorder latency; // null: the pool records none
    private final long maxTasks;
    private final long maxHeapBytes;
    private final Consequences consequences;
    private final LongConsumer inputsAnswered;
    /** Tasks answered; written by the io thread only. */
    private volatile long served;
    /** The heap use the worker last reported, or -1; written by the io thread only. */
    private volatile long heapUsedBytes = -1;

    Replies(IntSupplier workerId, long pid, InFlightTasks inFlight, Prefetch prefetch, LatencyRecorder latency, long maxTasks,
            long maxHeapBytes, Consequences consequences, LongConsumer inputsAnswered) {
        this.workerId = workerId;
        this.pid = pid;
        this.inFlight = inFlight;
        this.prefetch = prefetch;
        this.latency = latency;
        this.maxTasks = maxTasks;
        this.maxHeapBytes = maxHeapBytes;
        this.consequences = consequences;
        this.inputsAnswered = inputsAnswered;
    }

    long served() {
        return served;
    }

    long heapUsedBytes() {
        return heapUsedBytes;
    }

    void onFrame(Frame frame) throws ProtocolException {
        int type = frame.type();
        if (type == FrameType.PONG) {
            return; // a sign of life, which the caller has noted
        }
        if (type == FrameType.STATUS) {
            onStatus(Messages.decode(frame.payload(), Messages.Status.class));
            return;
        }
        if (type != FrameType.RESULT && type != FrameType.FAILURE) {
            throw new ProtocolException("unexpected " + frame + " from worker: "
                    + ProtocolException.hex(frame.payload(), 0, frame.payload().length, 64));
        }
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
            return; // the worker exited meanwhile: its exit settles the task
        }
        boolean drained = inFlight.isEmpty();
        long serviceNanos = task.serviceNanos();
        prefetch.answered(serviceNanos);
        served++;
        inputsAnswered.accept(task.size());
        if (latency != null) {
            latency.record(task.size(), task.queuedNanos, task.sentNanos, serviceNanos, task.answeredNanos);
        }
        if (failure != null) {
            int index = task.batch == null ? -1
                    : task.from + (task.isChunk() && failure.index() != null ? failure.index() : 0);
            task.future.fail(failed(task, failure, new TaskFailureReport(task.id(), task.type.name(),
                    index, workerId.getAsInt(), pid, String.valueOf(failure.exceptionClass()), failure.message(),
                    failure.stackTrace())));
        } else {
            task.type.measured(serviceNanos, task.size(), frame.payload().length);
            complete(task, outputs);
        }
        if (maxTasks > 0 && served >= maxTasks) {
            consequences.retire("served " + served + " tasks (maxTasksPerWorker " + maxTasks + ")");
        }
        if (drained) {
            consequences.drained();
        }
    }

    private void onStatus(Messages.Status status) {
        heapUsedBytes = status.heapUsed();
        if (maxHeapBytes > 0 && status.heapUsed() > maxHeapBytes) {
            consequences.retire("heap use " + status.heapUsed() + " bytes above maxWorkerHeapBytes " + maxHeapBytes);
        }
    }

    /**
     * What a FAILURE fails its task with: a {@link TaskDataException} if it names the stage where
     * the task's data could not cross (PROTOCOL.md 4.2), else a {@link TaskFailedException}: the
     * task threw, could not be loaded, or an older or foreign worker named no stage, or one this
     * supervisor does not know.
     */
    static ForkPoolException failed(TaskRecord task, Messages.TaskFailure failure, TaskFailureReport report) {
        if (failure.inputStage()) {
            return new TaskDataException(TaskDataException.Direction.INPUT, task.type.declaredInputType(), report);
        }
        if (failure.outputStage()) {
            return new TaskDataException(TaskDataException.Direction.OUTPUT, task.type.declaredOutputType(), report);
        }
        return new TaskFailedException(report);
    }

    /**
     * Decodes a RESULT while its task is still held: the output, the outputs of a chunk as an
     * {@code Object[]}, or a {@link TaskDataException} if they do not decode as the task's output
     * type, which fails that task only, and names the output that does not.
     *
     * @throws ProtocolException if a chunk's RESULT is not an array of one output per input
     */
    private static Object decodeOutputs(TaskRecord task, byte[] document) throws ProtocolException {
        int index;
        JacksonException error;
        String why;
        try {
            return task.isChunk() ? task.type.decodeOutputs(document, task.size()) : task.type.decodeOutput(document);
        } catch (UndecodableOutputException e) {
            index = task.from + e.index();
            error = (JacksonException) e.getCause();
            why = e.originalMessage();
        } catch (JacksonException e) {
            index = task.batch == null ? -1 : task.from;
            error = e;
            why = e.getOriginalMessage();
        }
        TaskDataException undecodable = new TaskDataException(TaskDataException.Direction.OUTPUT,
                task.type.declaredOutputType(), new TaskFailureReport(task.id(), task.type.name(), index, -1, -1,
                        error.getClass().getName(), why, ""));
        undecodable.initCause(error);
        return undecodable;
    }

    private static void complete(TaskRecord task, Object outputs) {
        if (outputs instanceof TaskDataException) {
            task.future.fail((TaskDataException) outputs);
        } else if (task.batch == null) {
            task.future.answer(outputs);
        } else if (task.future.answer(null)) { // counts the span before the batch can complete
            task.batch.deliver(task.from, task.isChunk() ? (Object[]) outputs : new Object[] {outputs});
        }
    }
}
