package io.forkpool.micrometer;

import io.forkpool.PoolStats;
import io.forkpool.WorkerPool;
import java.util.function.LongSupplier;

/**
 * One pool's last {@link PoolStats}, shared by all the meters of a {@link ForkPoolMetrics}: a
 * scrape reads dozens of meters one after another, and each would otherwise take a snapshot of
 * its own, draining the pool's latency histograms under their lock each time. A snapshot younger
 * than the time to live is handed out again, so one scrape costs one {@code stats()} call and its
 * meters agree with each other.
 *
 * <p>Holds the snapshot, never the pool: the pool is handed in by the meter that asks, which has
 * it from Micrometer's weak reference, so this cache keeps no closed pool alive.
 */
final class Snapshots {

    private final long ttlNanos;
    private final LongSupplier clock;
    private PoolStats last; // guarded by this
    private long takenAt; // guarded by this

    /**
     * @param first the snapshot to start from, taken at {@code clock}'s present reading
     * @param ttlNanos how long a snapshot is handed out again; 0 takes a new one for every read
     * @param clock {@link System#nanoTime()}, or a test's own
     */
    Snapshots(PoolStats first, long ttlNanos, LongSupplier clock) {
        this.ttlNanos = ttlNanos;
        this.clock = clock;
        this.last = first;
        this.takenAt = clock.getAsLong();
    }

    /**
     * The pool's last snapshot if it is young enough, else a new one. The lock is held during
     * {@code stats()}, so meters read at the same moment by several threads still cost one call.
     *
     * @param pool the pool this cache belongs to
     * @return a snapshot at most the time to live old
     */
    synchronized PoolStats of(WorkerPool pool) {
        long now = clock.getAsLong();
        if (now - takenAt >= ttlNanos) {
            last = pool.stats();
            takenAt = now;
        }
        return last;
    }
}
