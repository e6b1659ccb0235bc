package io.forkpool.runtime.internal;

import io.forkpool.WorkerCrashedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One submitted task: its id, its encoded input (kept so it can be sent again), its retry and
 * timeout settings, and the future the caller holds. Completing the future is the only way a task
 * ends, and CompletableFuture keeps the first completion, so a late reply can never overwrite a
 * timeout, a cancellation or a crash.
 */
final class TaskRecord {

    final long id;
    final TaskType type;
    final byte[] input;
    final int maxAttempts;
    /** The per-attempt limit, or {@code null}. */
    final Duration timeout;
    final CompletableFuture<Object> future = new CompletableFuture<>();

    /** The attempt to send next, from 1; raised by the exit handler before a retry is queued. */
    volatile int attempt = 1;
    /** One report per attempt that killed its worker; supervisor thread only. */
    final List<WorkerCrashedException> crashes = new ArrayList<>(0);
    /** The worker that holds it, set when it is written; read to deliver a cancellation. */
    volatile WorkerProcess holder;
    /** When it became the running task of its worker, or 0; guarded by the holder's lock. */
    long startedNanos;
    /** Its timeout, while it runs; guarded by the holder's lock. */
    ScheduledFuture<?> clock;

    TaskRecord(long id, TaskType type, byte[] input, int maxAttempts, Duration timeout) {
        this.id = id;
        this.type = type;
        this.input = input;
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
    }

    /** Cancels the timeout, if one runs. Under the holder's lock. */
    void stopClock() {
        if (clock != null) {
            clock.cancel(false);
            clock = null;
        }
    }

    @Override
    public String toString() {
        return "task " + id + " (" + type.name() + ")";
    }
}
