package io.forkpool.runtime;

import io.forkpool.LatencyStats;
import org.HdrHistogram.Histogram;

/**
 * Turns a histogram of latencies in nanoseconds into the API's {@link LatencyStats}; shared by every
 * forkpool pool (the process pool, the cluster pool), so their figures mean the same.
 */
public final class LatencySummary {

    private LatencySummary() {
    }

    /**
     * Summarises a histogram of nanoseconds; as every forkpool pool reports it.
     *
     * @param histogram the recorded values
     * @return its count, percentiles and max; {@link LatencyStats#EMPTY} if it holds nothing
     */
    public static LatencyStats of(Histogram histogram) {
        long count = histogram.getTotalCount();
        if (count == 0) {
            return LatencyStats.EMPTY;
        }
        long max = histogram.getMaxValue();
        // Each figure is the top of its 1% bucket; clamping keeps them ordered against the max.
        return new LatencyStats(count, Math.min(max, histogram.getValueAtPercentile(50)),
                Math.min(max, histogram.getValueAtPercentile(90)), Math.min(max, histogram.getValueAtPercentile(99)),
                Math.min(max, histogram.getValueAtPercentile(99.9)), max);
    }
}
