package io.forkpool.runtime.internal.lifecycle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Decides when a dead worker is replaced and when the pool must give up, Erlang/OTP style:
 * <ul>
 *   <li>backoff per slot: at once after the death of a healthy worker — one that answered at
 *       least one task or stayed ready for the healthy period (10 s) — otherwise
 *       {@value #BACKOFF_INITIAL_MILLIS} ms doubling up to {@value #BACKOFF_MAX_MILLIS} ms. A
 *       healthy worker's crash is a task's doing (bounded by its attempts) or an outside kill;
 *       workers that die before doing any work are what a restart storm is made of;</li>
 *   <li>intensity: more than {@code maxRestarts} restarts within {@code window} fail the pool;</li>
 *   <li>start-up: {@value #MAX_STARTUP_FAILURES_IN_A_ROW} workers in a row that die by themselves
 *       before their hello fail the pool at once (a bad JVM option or class path never gets
 *       better). A worker killed from outside while it starts did nothing wrong: it does not
 *       count toward this, only toward the intensity limit.</li>
 * </ul>
 * Confined to the supervisor thread, except {@link #onReady()}.
 */
final class RestartPolicy {

    static final int MAX_STARTUP_FAILURES_IN_A_ROW = 5;
    static final long HEALTHY_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long BACKOFF_INITIAL_MILLIS = 50;
    static final long BACKOFF_MAX_MILLIS = 5_000;

    private final int maxRestarts;
    private final long windowNanos;
    private final ArrayDeque<Long> restarts = new ArrayDeque<>();
    private volatile int startupFailuresInARow;

    RestartPolicy(int maxRestarts, Duration window) {
        this.maxRestarts = maxRestarts;
        this.windowNanos = window.toNanos();
    }

    /** A worker said hello: start-up works. Any thread. */
    void onReady() {
        startupFailuresInARow = 0;
    }

    /**
     * Records a worker death and says how long to wait before replacing it.
     *
     * @param slot the dead worker's slot (its crash streak is updated)
     * @param diedBeforeReady whether it died before its hello
     * @param killedFromOutside whether somebody else's signal ended it (not the pool, not itself)
     * @param answeredTasks whether it had answered at least one task
     * @param readyForNanos how long it had been ready, 0 if never
     * @param nowNanos the current {@link System#nanoTime()}
     * @return the delay in milliseconds, or -1 if the pool must fail instead
     */
    long onDeath(WorkerSlot slot, boolean diedBeforeReady, boolean killedFromOutside, boolean answeredTasks,
            long readyForNanos, long nowNanos) {
        if (diedBeforeReady && !killedFromOutside && ++startupFailuresInARow >= MAX_STARTUP_FAILURES_IN_A_ROW) {
            return -1;
        }
        while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() > windowNanos) {
            restarts.pollFirst();
        }
        if (restarts.size() >= maxRestarts) {
            return -1;
        }
        restarts.addLast(nowNanos);
        boolean healthy = !diedBeforeReady && (answeredTasks || readyForNanos >= HEALTHY_PERIOD_NANOS);
        slot.crashStreak = healthy ? 0 : slot.crashStreak + 1;
        return slot.crashStreak == 0 ? 0
                : Math.min(BACKOFF_MAX_MILLIS, BACKOFF_INITIAL_MILLIS << Math.min(20, slot.crashStreak - 1));
    }

    /** @return why the pool fails, for the message, given the last {@link #onDeath} returned -1 */
    String failureReason() {
        return startupFailuresInARow >= MAX_STARTUP_FAILURES_IN_A_ROW
                ? MAX_STARTUP_FAILURES_IN_A_ROW + " workers in a row died before they were ready"
                : "more than " + maxRestarts + " worker restarts within " + Duration.ofNanos(windowNanos);
    }
}
