package io.forkpool.runtime.internal.exec;

import java.util.concurrent.RejectedExecutionException;

/**
 * The supervisor's one thread and its clock: every timer of the pool (task timeouts, cancel
 * grace, stop escalation, liveness probes, start-up deadlines, restart backoff) and every
 * decision about a worker's exit run here, one at a time, in order. Nothing run here may block:
 * writes to workers happen on each worker's own sender thread.
 *
 * <p>The seam that makes the supervisor testable without waiting: {@link SupervisorThread} is the
 * real one; tests use a manual clock that runs timers only when told to advance.
 */
public interface Scheduler {

    /** A timer that may still be cancelled. */
    interface Timer {
        /** Cancels the timer if it has not run yet; harmless after. */
        void cancel();
    }

    /** A timer that is never due. */
    Timer NONE = () -> { };

    /** @return this scheduler's clock, in nanoseconds, comparable only to itself */
    long nanoTime();

    /**
     * Runs {@code action} on the supervisor thread, after what was handed over before it.
     *
     * @throws RejectedExecutionException once the scheduler is shut down
     * @param action what to run
     */
    void execute(Runnable action);

    /**
     * Runs {@code action} on the supervisor thread once {@code delayNanos} have passed.
     *
     * @return the timer, to cancel it; {@link #NONE} once the scheduler is shut down
     * @param action what to run
     * @param delayNanos how long from now, by this scheduler's clock
     */
    Timer schedule(Runnable action, long delayNanos);

    /** @return whether the calling thread is the supervisor thread */
    boolean inSupervisor();

    /** Stops running anything; timers still pending never run. */
    void shutdown();
}
