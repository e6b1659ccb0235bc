package io.forkpool.runtime.internal.lifecycle;

import io.forkpool.ExitCause;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.internal.worker.WorkerDriver;
import io.forkpool.runtime.internal.worker.WorkerState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stable worker position in the pool (id 0..workers-1), or a warm spare's position (ids from
 * {@code workers} on, {@link #spare}). Its worker is replaced when it dies, or when a spare leaves
 * it for a slot; the slot keeps counting across replacements. Written by the supervisor thread (and, for
 * {@code incarnations}, under the supervisor's spawn lock); read by any thread for stats.
 */
final class WorkerSlot {

    final int id;
    /** A spare's position: its worker takes no tasks until it is put into a slot. */
    final boolean spare;
    /** The current worker, or {@code null} before the first; volatile for the stats reader. */
    volatile WorkerDriver driver;
    /** Workers started for this slot so far, the first included. */
    volatile int incarnations;
    /** Deaths in a row of workers that did no work; drives the restart backoff (supervisor thread). */
    int crashStreak;
    /**
     * Why the slot's previous worker ended, or {@code null}. Written after that exit was counted
     * and before its driver shows DEAD, so a snapshot that sees either sees the count.
     */
    volatile ExitCause lastExitCause;
    /**
     * A dead worker whose place an idle spare took as soon as its process was gone, before its
     * exit was handled; {@code null} when none. With it, the spare position that spare left.
     * Supervisor thread.
     */
    WorkerDriver placedFor;
    WorkerSlot placedFrom;
    /** The backoff given when its worker last had to be replaced, in ms. Supervisor thread. */
    long backoffMillis;
    /** Inputs answered by the slot's workers, a chunk's each counted; added to by their io threads. */
    final LongAdder inputsAnswered = new LongAdder();

    WorkerSlot(int id, boolean spare) {
        this.id = id;
        this.spare = spare;
    }

    int restarts() {
        return Math.max(0, incarnations - 1);
    }

    /** @return the slot's figures now, from its current worker's state (not the OS's view of the process) */
    WorkerStats stats(long nowNanos) {
        WorkerDriver current = driver;
        if (current == null) {
            return new WorkerStats(id, -1, "NONE", Duration.ZERO, inputsAnswered.sum(), restarts(),
                    Optional.ofNullable(lastExitCause), -1);
        }
        WorkerState state = current.state();
        boolean alive = state != WorkerState.DEAD;
        return new WorkerStats(id, alive ? current.pid() : -1, state.name(),
                alive ? Duration.ofNanos(nowNanos - current.startNanos()) : Duration.ZERO,
                inputsAnswered.sum(), restarts(), Optional.ofNullable(lastExitCause),
                current.heapUsedBytes());
    }
}
