package io.forkpool.runtime.internal.observe;

import io.forkpool.LatencyStats;
import io.forkpool.runtime.LatencySummary;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A pool's latency distributions since it started: every worker process's {@link LatencyRecorder}
 * is drained into three totals when the stats are read, so recording never waits for a reader and
 * the totals outlive the processes.
 */
public final class LatencyHistograms {

    private final Histogram queueWait = new Histogram(LatencyRecorder.DIGITS);
    private final Histogram execution = new Histogram(LatencyRecorder.DIGITS);
    private final Histogram roundTrip = new Histogram(LatencyRecorder.DIGITS);
    private final List<LatencyRecorder> sources = new ArrayList<>(); // guarded by this

    /** Starts following a new worker process's recorder. */
    synchronized void follow(LatencyRecorder recorder) {
        sources.add(recorder);
    }

    /** The three distributions, after taking in everything recorded so far. */
    synchronized LatencyStats[] snapshot() {
        for (int i = sources.size() - 1; i >= 0; i--) {
            LatencyRecorder source = sources.get(i);
            boolean last = source.isClosed(); // read first: a closed recorder's final records are in this drain
            source.drainInto(queueWait, execution, roundTrip);
            if (last) {
                sources.remove(i);
            }
        }
        return new LatencyStats[] {LatencySummary.of(queueWait), LatencySummary.of(execution),
            LatencySummary.of(roundTrip)};
    }
}
