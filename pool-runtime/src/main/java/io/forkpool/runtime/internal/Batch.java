package io.forkpool.runtime.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code submitAll} call: its encoded inputs, the outputs gathered so far and the future the
 * caller holds. Its inputs travel as spans ({@link TaskRecord}s covering {@code [from, to)}), cut
 * into chunks as workers ask for work ({@link ChunkSizer}); each span delivers its outputs here.
 *
 * <p>Fails fast: the first span to fail fails the batch, and the batch then cancels every span
 * still live, as does cancelling the batch's future.
 */
final class Batch {

    final TaskType type;
    final byte[][] inputs;
    final int maxAttempts;
    /** The per-attempt limit of each input, or {@code null}; batches with one are never chunked. */
    final Duration timeout;
    final CompletableFuture<List<Object>> future = new CompletableFuture<>();

    private final Object[] outputs;
    private final AtomicInteger remaining;
    private final Set<TaskRecord> live = ConcurrentHashMap.newKeySet();

    Batch(TaskType type, byte[][] inputs, int maxAttempts, Duration timeout) {
        this.type = type;
        this.inputs = inputs;
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
        this.outputs = new Object[inputs.length];
        this.remaining = new AtomicInteger(inputs.length);
        future.whenComplete((list, error) -> {
            if (error != null) {
                cancelLive();
            }
        });
    }

    /** Follows a new span; a batch that has already failed cancels it at once. */
    void track(TaskRecord span) {
        live.add(span);
        if (future.isDone()) {
            span.future.cancel(true);
        }
    }

    /** A span completed, its pool counters already updated: a failure fails the batch. */
    void spanDone(TaskRecord span, Throwable error) {
        live.remove(span);
        if (error != null) {
            future.completeExceptionally(error);
        }
    }

    /** A span's outputs arrived, in order; completes the batch when they were the last. */
    void deliver(int from, Object[] values) {
        System.arraycopy(values, 0, outputs, from, values.length);
        if (remaining.addAndGet(-values.length) == 0) {
            future.complete(Arrays.asList(outputs));
        }
    }

    private void cancelLive() {
        for (TaskRecord span : live) {
            span.future.cancel(true);
        }
    }
}
