package io.forkpool.runtime.internal.worker;

import io.forkpool.PoolOptions;
import java.util.function.BooleanSupplier;

/**
 * How many unanswered tasks one worker may hold (its depth) and how many it holds. The sender
 * waits here for room; the io thread gives room back as replies arrive.
 *
 * <p>Two rules make tiny tasks cheap without hurting long ones:
 * <ul>
 *   <li><b>Refill at half.</b> The sender writes only once the worker holds at most half its
 *       depth, and then fills it up, so a worker that holds hundreds of tiny tasks receives them
 *       in a few large writes instead of one write and one wake-up per reply.</li>
 *   <li><b>Adaptive depth.</b> Unless the user fixed it, the depth follows the worker's measured
 *       time per task so that it holds about {@link #BUDGET_NANOS} of work: a 2 µs task gets
 *       hundreds in flight (enough to cover the round trip), a 10 ms task gets
 *       {@link #MIN_ADAPTIVE_DEPTH}. Holding no more than that keeps the tail of a batch balanced
 *       across workers, and a crash re-queues at most that much work (held tasks that were not
 *       running are re-queued free).</li>
 * </ul>
 *
 * <p>The time per task is measured by the supervisor, not reported by the worker: from the moment
 * a task becomes the worker's running one (its predecessor was answered, or it was written to an
 * idle worker) to its reply. Replies that share a write arrive together, so single intervals are
 * noisy; the depth is recomputed from their mean over a window of {@link #WINDOW_TASKS} replies.
 *
 * <p>Thread-safe; every method holds this object's monitor, briefly.
 */
final class Prefetch {

    /** The work an adaptive worker holds, about one millisecond: well above a round trip's cost. */
    static final long BUDGET_NANOS = 1_000_000;
    /** The least adaptive depth: one running, one waiting, so a worker never idles between tasks. */
    static final int MIN_ADAPTIVE_DEPTH = 2;
    /** The most any worker holds; the protocol promises workers no more (PROTOCOL.md, 4.1). */
    static final int MAX_DEPTH = PoolOptions.MAX_TASKS_IN_FLIGHT;
    static final int WINDOW_TASKS = 32;

    private final boolean adaptive;
    private int depth;
    private int held;
    private boolean senderWaiting;
    private long windowNanos;
    private int windowTasks;

    /**
     * @param fixedDepth the user's {@code tasksInFlightPerWorker}, or 0 for an adaptive depth
     */
    Prefetch(int fixedDepth) {
        this.adaptive = fixedDepth == PoolOptions.ADAPTIVE_TASKS_IN_FLIGHT;
        this.depth = adaptive ? MIN_ADAPTIVE_DEPTH : fixedDepth;
    }

    /**
     * Waits until the worker holds at most half its depth, or {@code wake} says to stop waiting.
     *
     * @param wake checked whenever the sender is woken ({@link #wake})
     * @return whether there is room; false if woken by {@code wake} first
     * @throws InterruptedException if the sender is interrupted
     */
    synchronized boolean awaitRoom(BooleanSupplier wake) throws InterruptedException {
        while (held > depth / 2) {
            if (wake.getAsBoolean()) {
                return false;
            }
            senderWaiting = true;
            try {
                wait();
            } finally {
                senderWaiting = false;
            }
        }
        return true;
    }

    /** Wakes a waiting sender, so that it looks at its {@code wake} condition. */
    synchronized void wake() {
        notifyAll();
    }

    /** @return how many more tasks the worker may be given now; may be 0 if the depth just shrank */
    synchronized int room() {
        return Math.max(0, depth - held);
    }

    /** The sender wrote {@code tasks} more. */
    synchronized void took(int tasks) {
        held += tasks;
    }

    /**
     * A reply arrived. io thread.
     *
     * @param serviceNanos how long the task was the running one, or a negative value if unknown
     */
    synchronized void answered(long serviceNanos) {
        held--;
        if (adaptive && serviceNanos >= 0) {
            windowNanos += serviceNanos;
            if (++windowTasks == WINDOW_TASKS) {
                depth = depthFor(windowNanos / WINDOW_TASKS);
                windowNanos = 0;
                windowTasks = 0;
            }
        }
        if (senderWaiting && held <= depth / 2) {
            notifyAll();
        }
    }

    synchronized int depth() {
        return depth;
    }

    /** The depth that holds about {@link #BUDGET_NANOS} of tasks taking {@code costNanos} each. */
    static int depthFor(long costNanos) {
        long tasks = BUDGET_NANOS / Math.max(1, costNanos);
        return (int) Math.max(MIN_ADAPTIVE_DEPTH, Math.min(MAX_DEPTH, tasks));
    }
}
