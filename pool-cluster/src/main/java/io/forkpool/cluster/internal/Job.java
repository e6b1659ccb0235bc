package io.forkpool.cluster.internal;

import io.forkpool.OutputHandler;
import io.forkpool.ProgressListener;
import io.forkpool.TaskTimeoutException;
import io.forkpool.runtime.ProgressReporter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One {@code submit} (a job of one input whose future completes with its output) or one batch
 * call (a future of all outputs, or a stream of them to a handler). The dispatcher cuts it into
 * {@link Chunk}s; each input belongs to exactly one chunk at a time and a chunk is settled once,
 * so each output is delivered at most once, and the job counts each input under exactly one
 * outcome: delivered outputs as succeeded, the failing input as failed or timed out, the rest of
 * a failed or cancelled job as cancelled.
 */
final class Job implements ProgressReporter.Figures {

    final long id;
    final ClientTaskType type;
    final byte[][] inputs;
    final int maxAttempts;
    final long timeoutMillis;
    final long submitNanos = System.nanoTime();
    /** Whether it is one {@code submit}: its future completes with the output itself, and failures name no input. */
    final boolean single;
    final CompletableFuture<Object> future = new CompletableFuture<>();
    /** Its chunks on members now; guarded by the dispatcher's lock. */
    final Set<Chunk> inFlight = new HashSet<>();
    private final Object[] outputs; // null when streaming
    private final OutputHandler<Object> handler; // null unless streaming
    private final ProgressReporter progress; // null without a listener
    private final ClusterCounters counters;
    private int delivered; // guarded by this
    private int handedOver; // guarded by this: outputs whose handler call returned
    private long failedInputs; // guarded by this
    private volatile boolean done;

    Job(long id, ClientTaskType type, byte[][] inputs, int maxAttempts, long timeoutMillis, boolean single,
            OutputHandler<Object> handler, ProgressListener listener, ClusterCounters counters) {
        this.id = id;
        this.type = type;
        this.inputs = inputs;
        this.maxAttempts = maxAttempts;
        this.timeoutMillis = timeoutMillis;
        this.single = single;
        this.handler = handler;
        this.outputs = handler == null ? new Object[inputs.length] : null;
        this.counters = counters;
        this.progress = listener == ProgressListener.NONE ? null : new ProgressReporter(listener, this, submitNanos);
        counters.submitted.add(inputs.length);
    }

    int size() {
        return inputs.length;
    }

    boolean isDone() {
        return done;
    }

    /** Takes in the decoded outputs of inputs {@code [from, from + outputs.length)}; ignored once the job is over. */
    void deliver(int from, Object[] decoded) {
        synchronized (this) {
            if (done) {
                return;
            }
            if (outputs != null) {
                System.arraycopy(decoded, 0, outputs, from, decoded.length);
            }
            delivered += decoded.length;
            counters.succeeded.add(decoded.length);
        }
        if (handler != null) {
            for (int i = 0; i < decoded.length; i++) {
                try {
                    handler.onOutput(from + i, decoded[i]);
                } catch (RuntimeException e) {
                    fail(e, false);
                    return;
                }
            }
        }
        boolean last;
        synchronized (this) {
            handedOver += decoded.length;
            last = handedOver == inputs.length && !done;
            if (last) {
                done = true;
            }
        }
        if (last) {
            finishProgress();
            future.complete(single ? outputs[0] : handler == null ? Arrays.asList(outputs) : null);
        } else if (progress != null) {
            progress.maybeReport();
        }
    }

    /**
     * Ends the job with a failure, once.
     *
     * @param error what the future completes with
     * @param namesAnInput whether one input failed (counted as failed or timed out; the rest as cancelled)
     * @return whether this call ended it
     */
    boolean fail(Throwable error, boolean namesAnInput) {
        synchronized (this) {
            if (done) {
                return false;
            }
            done = true;
            long rest = inputs.length - delivered;
            if (namesAnInput && rest > 0) {
                if (error instanceof TaskTimeoutException) {
                    counters.timedOut.increment();
                } else {
                    counters.failed.increment();
                }
                failedInputs = 1;
                rest--;
            }
            counters.cancelled.add(rest);
        }
        finishProgress();
        future.completeExceptionally(error);
        return true;
    }

    /**
     * Registers what runs once the future completes, however it does. The job completes its
     * future only after it has ended itself; any other completion ({@code cancel}, {@code orTimeout},
     * {@code completeOnTimeout}, {@code complete(v)}, {@code completeAsync}) came from its caller,
     * and ends the job as cancelled, as {@code cancel(true)} does: its inputs not yet done count as
     * cancelled, and {@code endedByCaller} takes back its chunks.
     *
     * @param endedByCaller called with this job when its caller completed its future
     * @param then called after that, on every completion
     */
    void onCompletion(Consumer<Job> endedByCaller, Runnable then) {
        future.whenComplete((result, error) -> {
            if (cancel("cancelled or completed by its caller")) {
                endedByCaller.accept(this);
            }
            then.run();
        });
    }

    /** Ends the job as cancelled, once: its caller cancelled its future, or the pool is closing. */
    boolean cancel(String why) {
        return fail(new CancellationException(why), false);
    }

    private void finishProgress() {
        if (progress != null) {
            progress.finish();
        }
    }

    List<byte[]> inputs(int from, int to) {
        return Arrays.asList(inputs).subList(from, to);
    }

    @Override
    public synchronized long done() {
        return delivered + failedInputs;
    }

    @Override
    public long total() {
        return inputs.length;
    }

    @Override
    public synchronized long failed() {
        return failedInputs;
    }

    @Override
    public String toString() {
        return single ? "task " + id + " (" + type.name + ")" : "batch " + id + " (" + type.name + ", " + inputs.length
                + " inputs)";
    }
}
