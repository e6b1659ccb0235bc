package io.forkpool.runtime.internal.ledger;

/**
 * Whoever holds a task that a worker is running or about to run: a worker driver. The ledger tells
 * it when the task's future was cancelled, so that it can stop the task; it never reaches into the
 * driver otherwise.
 */
public interface TaskOwner {

    /**
     * The task's future was cancelled while this owner held it. Any thread; must not block.
     *
     * @param task the cancelled task
     */
    void cancelled(TaskRecord task);
}
