package io.forkpool.runtime.internal;

import io.forkpool.ExitCause;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stable worker position in the pool (id 0..workers-1). Its process is replaced when it dies;
 * the slot keeps counting across replacements.
 */
final class WorkerSlot {

    final int id;
    final LongAdder tasksCompleted = new LongAdder();
    /** The current process; written by the supervisor thread, read by any. */
    volatile WorkerProcess process;
    /** Processes started for this slot so far, the first included; written under the pool's lifecycle lock. */
    volatile int incarnations;
    /** Deaths in a row of workers that did no work; drives the restart backoff (supervisor thread). */
    int crashStreak;
    /** Why the slot's previous process ended, or {@code null}; written by the supervisor thread. */
    volatile ExitCause lastExitCause;
    /** The heap use its current or last process reported, or -1; written by the io thread. */
    volatile long heapUsedBytes = -1;

    WorkerSlot(int id) {
        this.id = id;
    }

    int restarts() {
        return Math.max(0, incarnations - 1);
    }
}
