package io.forkpool.runtime.internal.observe;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.TaskTimeoutException;
import io.forkpool.WorkerStats;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a pool counts for its {@link PoolStats}: tasks by outcome, retries, worker exits by cause
 * and, unless turned off, latencies. Updated from any thread without a lock ({@link LongAdder}s,
 * one {@link AtomicLongArray}); {@link #snapshot} assembles them with the workers' figures.
 */
public final class PoolCounters {

    private final LongAdder submitted = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder retried = new LongAdder();
    /** Worker exits by {@link ExitCause} ordinal. */
    private final AtomicLongArray exits = new AtomicLongArray(ExitCause.values().length);
    private final boolean recordLatencies;
    /** The latency totals; they stay empty if the pool records none. */
    private final LatencyHistograms latencies = new LatencyHistograms();

    /** @param recordLatencies whether tasks' latencies are recorded */
    public PoolCounters(boolean recordLatencies) {
        this.recordLatencies = recordLatencies;
    }

    /** @param inputs inputs submitted */
    public void submitted(long inputs) {
        submitted.add(inputs);
    }

    /**
     * Counts a completed task's inputs, each under exactly one outcome. When one input of a chunk
     * fails, the inputs before it ran and succeeded (their outputs go down with the batch) and
     * the ones after it never ran: cancelled.
     *
     * @param size the task's inputs
     * @param failedOffset where in it the failed input is, or -1 if the failure is all of it's
     * @param error its failure, or {@code null}
     */
    public void completed(int size, int failedOffset, Throwable error) {
        if (error == null) {
            succeeded.add(size);
        } else if (error instanceof TaskTimeoutException) {
            timedOut.add(size);
        } else if (error instanceof CancellationException) {
            cancelled.add(size);
        } else {
            int offset = failedOffset;
            if (offset < 0) {
                failed.add(size);
            } else {
                succeeded.add(offset);
                failed.increment();
                cancelled.add(size - offset - 1L);
            }
        }
    }

    /** @return the inputs cancelled so far */
    public long cancelled() {
        return cancelled.sum();
    }

    /** @param inputs inputs queued again after their worker died */
    public void retried(long inputs) {
        retried.add(inputs);
    }

    /** @param cause why a worker process ended */
    public void exited(ExitCause cause) {
        exits.incrementAndGet(cause.ordinal());
    }

    /**
     * A new worker process's latency recorder, followed from now on; {@code null} if the pool records none.
     * @return the new recorder, or {@code null}
     */
    public LatencyRecorder newRecorder() {
        if (!recordLatencies) {
            return null;
        }
        LatencyRecorder recorder = new LatencyRecorder();
        latencies.follow(recorder);
        return recorder;
    }

    /**
     * The pool's figures now. The caller reads its workers' figures first: a worker's exit is
     * counted here before its state says it is gone, so a snapshot that shows a dead worker also
     * counts its exit.
     *
     * @param name the pool's name
     * @param workers each worker's figures, read just before
     * @param restarts worker restarts so far
     * @param queued inputs waiting for a worker
     * @param sparesReady idle warm spares
     * @return the snapshot
     */
    public PoolStats snapshot(String name, List<WorkerStats> workers, long restarts, long queued, int sparesReady) {
        Map<ExitCause, Long> exitsByCause = new EnumMap<>(ExitCause.class);
        for (ExitCause cause : ExitCause.values()) {
            exitsByCause.put(cause, exits.get(cause.ordinal()));
        }
        LatencyStats[] latency = latencies.snapshot();
        return new PoolStats(name, workers, submitted.sum(), succeeded.sum(), failed.sum(), timedOut.sum(),
                cancelled.sum(), retried.sum(), exitsByCause, restarts, queued, latency[0], latency[1], latency[2],
                sparesReady);
    }
}
