package io.forkpool.runtime.internal;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.TaskTimeoutException;
import io.forkpool.WorkerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a pool counts for its {@link PoolStats}: tasks by outcome, retries, worker exits by cause
 * and, unless turned off, latencies. Updated from any thread without a lock ({@link LongAdder}s,
 * one {@link AtomicLongArray}); {@link #snapshot} assembles them with the workers' figures.
 */
final class PoolCounters {

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

    PoolCounters(boolean recordLatencies) {
        this.recordLatencies = recordLatencies;
    }

    void submitted(long inputs) {
        submitted.add(inputs);
    }

    /**
     * Counts a completed task's inputs, each under exactly one outcome. When one input of a chunk
     * fails, the inputs before it ran and succeeded (their outputs go down with the batch) and
     * the ones after it never ran: cancelled.
     */
    void completed(TaskRecord task, Throwable error) {
        int size = task.size();
        if (error == null) {
            succeeded.add(size);
        } else if (error instanceof TaskTimeoutException) {
            timedOut.add(size);
        } else if (error instanceof CancellationException) {
            cancelled.add(size);
        } else {
            int offset = task.failedOffset(error);
            if (offset < 0) {
                failed.add(size);
            } else {
                succeeded.add(offset);
                failed.increment();
                cancelled.add(size - offset - 1L);
            }
        }
    }

    void retried(long inputs) {
        retried.add(inputs);
    }

    void exited(ExitCause cause) {
        exits.incrementAndGet(cause.ordinal());
    }

    /** A new worker process's latency recorder, followed from now on; {@code null} if the pool records none. */
    LatencyRecorder newRecorder() {
        if (!recordLatencies) {
            return null;
        }
        LatencyRecorder recorder = new LatencyRecorder();
        latencies.follow(recorder);
        return recorder;
    }

    /** The pool's figures now; slots not yet created are left out. */
    PoolStats snapshot(String name, WorkerSlot[] slots, long queued) {
        long now = System.nanoTime();
        List<WorkerStats> workers = new ArrayList<>(slots.length);
        long restarts = 0;
        for (WorkerSlot slot : slots) {
            if (slot != null) {
                workers.add(worker(slot, now));
                restarts += slot.restarts();
            }
        }
        Map<ExitCause, Long> exitsByCause = new EnumMap<>(ExitCause.class);
        for (ExitCause cause : ExitCause.values()) {
            exitsByCause.put(cause, exits.get(cause.ordinal()));
        }
        LatencyStats[] latency = latencies.snapshot();
        return new PoolStats(name, workers, submitted.sum(), succeeded.sum(), failed.sum(), timedOut.sum(),
                cancelled.sum(), retried.sum(), exitsByCause, restarts, queued, latency[0], latency[1], latency[2]);
    }

    private static WorkerStats worker(WorkerSlot slot, long now) {
        WorkerProcess process = slot.process;
        boolean alive = process != null && process.process.isAlive();
        return new WorkerStats(slot.id, alive ? process.pid : -1, process == null ? "NONE" : process.state().name(),
                alive ? Duration.ofNanos(now - process.startNanos) : Duration.ZERO, slot.tasksCompleted.sum(),
                slot.restarts(), Optional.ofNullable(slot.lastExitCause), slot.heapUsedBytes);
    }
}
