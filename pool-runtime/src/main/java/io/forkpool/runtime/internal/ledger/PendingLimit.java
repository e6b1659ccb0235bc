package io.forkpool.runtime.internal.ledger;

import io.forkpool.runtime.internal.exec.PoolThread;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * The optional bound on tasks submitted and not yet completed ({@code maxPendingTasks}): a
 * permit per task, taken before it is queued and given back when its future completes.
 *
 * <p>A pool thread never waits here: a callback run on the io or supervisor thread that submits
 * more work would otherwise wait for room that only that same thread can make. Such tasks go
 * through without a permit, so they may exceed the bound.
 */
final class PendingLimit {

    /** Wakes every waiter at close; far more than any number of threads can hold. */
    private static final int RELEASE_ALL = Integer.MAX_VALUE / 2;

    private final Semaphore room;
    private volatile boolean closed;

    /** @param maxPending the bound, or 0 for none */
    PendingLimit(int maxPending) {
        this.room = maxPending == 0 ? null : new Semaphore(maxPending);
    }

    /**
     * Waits for room for one task.
     *
     * @return whether a permit was taken (and must be given back when the task completes)
     * @throws RejectedExecutionException if the thread is interrupted or the pool closes while it waits
     */
    boolean acquire(String poolName) {
        if (room == null || Thread.currentThread() instanceof PoolThread) {
            return false;
        }
        if (!room.tryAcquire()) {
            try {
                room.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectedExecutionException("interrupted while waiting for room in pool " + poolName
                        + " (maxPendingTasks)", e);
            }
        }
        if (closed) {
            throw new RejectedExecutionException("pool " + poolName + " closed while a task waited for room");
        }
        return true;
    }

    void release() {
        room.release();
    }

    /** Wakes every waiting submitter; they are rejected. */
    void close() {
        closed = true;
        if (room != null) {
            room.release(RELEASE_ALL);
        }
    }
}
