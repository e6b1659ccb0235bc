package io.forkpool.runtime.internal.ledger;

import java.util.List;
import java.util.function.BooleanSupplier;

/** Where a worker driver's sender takes tasks from: the pool's shared queue, as the ledger offers it. */
public interface TaskSource {

    /**
     * Waits for work, then moves up to {@code max} tasks from the head of the queue to {@code into}.
     *
     * @param into where the tasks go
     * @param max the most to take, at least 1
     * @param wake checked whenever the waiter is woken; true ends the wait with nothing taken
     * @param worker while the caller waits with nothing queued, a single task submitted meanwhile
     *     may be offered to it on the submitting thread instead ({@link IdleWorker}); or {@code null}
     * @return how many were taken; 0 only if woken by {@code wake}
     * @throws InterruptedException if the waiting thread is interrupted
     */
    int take(List<TaskRecord> into, int max, BooleanSupplier wake, IdleWorker worker) throws InterruptedException;

    /** Wakes every waiting sender, so that each looks at its {@code wake} condition. */
    void wakeAll();

    /**
     * Puts a task taken but not sent back at the head of the queue.
     *
     * @param task the task
     */
    void putBack(TaskRecord task);

    /**
     * Cuts a span the caller holds after its first {@code inputs}; the rest goes back to the head
     * of the queue as a span of its own. Nothing happens if the span completed meanwhile.
     *
     * @param span a batch span of more than {@code inputs} inputs
     * @param inputs how many it keeps
     */
    void cut(TaskRecord span, int inputs);

    /**
     * Draws a task id never used before in the pool's lifetime, for a task about to be sent again
     * ({@link TaskRecord#prepareSend}).
     *
     * @return the id
     */
    long newTaskId();
}
