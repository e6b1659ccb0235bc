package io.forkpool.runtime.internal.ledger;

/**
 * A worker whose sender waits for work in the queue, offered a task on the submitting thread so
 * the task reaches an idle worker without the sender thread's wake-up (one thread hand-off less
 * per round trip). Implemented by a worker's sender; the queue calls it without holding its lock.
 */
public interface IdleWorker {

    /**
     * Writes the task to the worker now, on the calling thread, if the worker holds no task;
     * otherwise does nothing. Never blocks for long: it writes only to a worker that holds
     * nothing, so the socket has room for the frame.
     *
     * @param task a task of one input, not yet owned by any worker
     * @return whether the worker took the task (it is now in flight, or was handed back to the
     *     queue, or its write failed and its worker's end will settle it); {@code false} leaves
     *     the task to the caller, untouched
     */
    boolean offer(TaskRecord task);
}
