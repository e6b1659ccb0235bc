package io.forkpool.runtime.internal.ledger;

import io.forkpool.OutputHandler;
import io.forkpool.ProgressListener;
import io.forkpool.runtime.internal.exec.CallbackFuture;
import io.forkpool.runtime.ProgressReporter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One batch call: its encoded inputs, the outputs gathered so far (or the handler they are
 * streamed to), its progress, and the future the caller holds. Its inputs travel as spans
 * ({@link TaskRecord}s covering {@code [from, to)}), cut into chunks as workers ask for work
 * ({@code ChunkSizer}); each span delivers its outputs here.
 *
 * <p>Fails fast: the first span to fail fails the batch, and the batch then cancels every span
 * still live, as does completing the batch's future from outside (cancelling it, {@code orTimeout},
 * {@code complete(...)}). The final progress report is made before the future completes.
 */
public final class Batch implements ProgressReporter.Figures {

    final TaskType type;
    /** The encoded inputs, in order; a span sends its share of them. */
    public final EncodedInputs inputs;
    final int maxAttempts;
    /** The per-attempt limit of each input, or {@code null}; batches with one are never chunked. */
    final Duration timeout;
    /** When the batch call was made: its inputs' queue wait and its progress count from here. */
    final long startNanos = System.nanoTime();
    /** Completes with the outputs in input order, or with {@code null} when they are streamed. */
    public final CallbackFuture<List<Object>> future = new CallbackFuture<>();

    /** The outputs so far, or {@code null} when they go to {@code handler}. */
    private final Object[] outputs;
    private final OutputHandler<Object> handler;
    private final AtomicInteger remaining;
    private final AtomicLong failedInputs = new AtomicLong();
    /** Set by the first failure, which alone fails the batch; the cancellations it causes do not. */
    private final AtomicBoolean failing = new AtomicBoolean();
    private final ProgressReporter progress;
    private final Set<TaskRecord> live = ConcurrentHashMap.newKeySet();

    /**
     * @param progress receives reports, or {@link ProgressListener#NONE}
     * @param handler receives each output as it arrives, or {@code null} to gather them in a list
     * @param type the task type
     * @param inputs the encoded inputs, in order
     * @param maxAttempts how often each input may run
     * @param timeout the limit of one attempt of each input, or {@code null}
     */
    public Batch(TaskType type, EncodedInputs inputs, int maxAttempts, Duration timeout, ProgressListener progress,
            OutputHandler<Object> handler) {
        this.type = type;
        this.inputs = inputs;
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
        this.handler = handler;
        this.outputs = handler == null ? new Object[inputs.count()] : null;
        this.remaining = new AtomicInteger(inputs.count());
        this.progress = progress == ProgressListener.NONE ? null : new ProgressReporter(progress, this, startNanos);
        future.whenCompleteInline((list, error) -> {
            // The batch completes itself only once every input is done, or by failing; any other
            // completion (cancel, orTimeout, complete(...)) came from its caller: stop what is live.
            if (error != null || remaining.get() > 0) {
                cancelLive();
                finishProgress(); // a cancelled batch: its last report comes after
            }
        });
    }

    /** Follows a new span; a batch that has already failed cancels it at once. */
    void track(TaskRecord span) {
        live.add(span);
        if (failing.get() || future.isDone()) { // after the add: fail() either sees it or is seen
            span.future.cancel(true);
        }
    }

    /** Stops following a span that was never queued, so that cancelling the batch leaves it alone. */
    void untrack(TaskRecord span) {
        live.remove(span);
    }

    /** A span completed, its pool counters already updated: a failure fails the batch. */
    void spanDone(TaskRecord span, Throwable error) {
        live.remove(span);
        if (error != null && !failing.get() && !future.isDone()) {
            if (!(error instanceof CancellationException)) {
                failedInputs.addAndGet(span.failedOffset(error) < 0 ? span.size() : 1);
            }
            fail(error);
        }
    }

    /**
     * A span's outputs arrived, in order; completes the batch when they were the last.
     * @param from the index of the first of them in the batch
     * @param values the outputs, in input order
     */
    public void deliver(int from, Object[] values) {
        if (handler == null) {
            System.arraycopy(values, 0, outputs, from, values.length);
        } else if (!future.isDone()) {
            try {
                for (int i = 0; i < values.length; i++) {
                    handler.onOutput(from + i, values[i]);
                }
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
        }
        if (remaining.addAndGet(-values.length) == 0) {
            finishProgress();
            future.complete(handler == null ? Arrays.asList(outputs) : null);
        } else if (progress != null) {
            progress.maybeReport();
        }
    }

    /**
     * Fails the batch: its final report, then its other spans cancelled, then its future, so a
     * caller who sees the failure sees every span of the batch completed and counted.
     */
    private void fail(Throwable error) {
        if (!failing.compareAndSet(false, true)) {
            return;
        }
        finishProgress();
        cancelLive();
        future.completeExceptionally(error);
    }

    private void finishProgress() {
        if (progress != null) {
            progress.finish();
        }
    }

    @Override
    public long done() {
        return inputs.count() - remaining.get() + failedInputs.get();
    }

    @Override
    public long total() {
        return inputs.count();
    }

    @Override
    public long failed() {
        return failedInputs.get();
    }

    private void cancelLive() {
        for (TaskRecord span : live) {
            span.future.cancel(true);
        }
    }
}
