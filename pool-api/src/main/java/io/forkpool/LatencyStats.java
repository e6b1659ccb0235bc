package io.forkpool;

import java.time.Duration;

/**
 * A latency distribution in a {@link PoolStats} snapshot, recorded since the pool started. Values
 * are in nanoseconds, accurate to two significant digits, that is to 1% (an HdrHistogram inside
 * the runtime; no HdrHistogram type appears in the API). Immutable.
 *
 * <p>A task is recorded when its worker's reply is read, whether it carries an output or the
 * task's exception; a task that never got a reply (its worker died, it was cancelled before it
 * was sent) is not. A batch's inputs count one by one: an input sent in a chunk of {@code n}
 * inputs is recorded with the chunk's queue wait and round trip, and with {@code 1/n} of its
 * execution time.
 *
 * @param count how many tasks (inputs) were recorded
 * @param p50Nanos the median
 * @param p90Nanos the 90th percentile
 * @param p99Nanos the 99th percentile
 * @param p999Nanos the 99.9th percentile
 * @param maxNanos the largest value recorded
 */
public record LatencyStats(long count, long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos) {

    /** The distribution of nothing: every field 0. */
    public static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0);

    /**
     * Checks that the figures are non-negative and ordered.
     *
     * @param count at least 0
     * @param p50Nanos at least 0
     * @param p90Nanos at least {@code p50Nanos}
     * @param p99Nanos at least {@code p90Nanos}
     * @param p999Nanos at least {@code p99Nanos}
     * @param maxNanos at least {@code p999Nanos}
     * @throws IllegalArgumentException if a figure is negative or out of order
     */
    public LatencyStats {
        if (count < 0 || p50Nanos < 0 || p50Nanos > p90Nanos || p90Nanos > p99Nanos || p99Nanos > p999Nanos
                || p999Nanos > maxNanos) {
            throw new IllegalArgumentException("not a distribution: count " + count + ", percentiles " + p50Nanos
                    + " " + p90Nanos + " " + p99Nanos + " " + p999Nanos + " " + maxNanos);
        }
    }

    /** @return the median as a duration */
    public Duration p50() {
        return Duration.ofNanos(p50Nanos);
    }

    /** @return the 99th percentile as a duration */
    public Duration p99() {
        return Duration.ofNanos(p99Nanos);
    }

    /** @return the largest value as a duration */
    public Duration max() {
        return Duration.ofNanos(maxNanos);
    }
}
