package io.forkpool.cluster.internal;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.runtime.LatencySummary;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a cluster pool counts for its stats: inputs by outcome, inputs re-run after a member loss,
 * and the three latency distributions as the client sees them. Replies arrive on several
 * Hazelcast threads, so latencies go into multi-writer {@link Recorder}s (wait-free for writers),
 * drained into totals when the stats are read.
 */
final class ClusterCounters {

    private static final int DIGITS = 2;

    final LongAdder submitted = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder retried = new LongAdder();
    private final boolean record;
    private final Recorder queueWait = new Recorder(DIGITS);
    private final Recorder execution = new Recorder(DIGITS);
    private final Recorder roundTrip = new Recorder(DIGITS);
    private final Histogram[] totals = {new Histogram(DIGITS), new Histogram(DIGITS), new Histogram(DIGITS)};

    ClusterCounters(boolean record) {
        this.record = record;
    }

    /** Records one answered chunk of {@code inputs}, each with the same figures. */
    void answered(int inputs, long queueWaitNanos, long executionNanos, long roundTripNanos) {
        if (record) {
            queueWait.recordValueWithCount(Math.max(0, queueWaitNanos), inputs);
            execution.recordValueWithCount(Math.max(0, executionNanos), inputs);
            roundTrip.recordValueWithCount(Math.max(0, roundTripNanos), inputs);
        }
    }

    synchronized PoolStats snapshot(String name, long queued) {
        Recorder[] recorders = {queueWait, execution, roundTrip};
        LatencyStats[] latency = new LatencyStats[3];
        for (int i = 0; i < 3; i++) {
            totals[i].add(recorders[i].getIntervalHistogram());
            latency[i] = LatencySummary.of(totals[i]);
        }
        Map<ExitCause, Long> exits = new EnumMap<>(ExitCause.class);
        for (ExitCause cause : ExitCause.values()) {
            exits.put(cause, 0L); // worker exits happen on the members; each member's own stats count them
        }
        return new PoolStats(name, List.of(), submitted.sum(), succeeded.sum(), failed.sum(), timedOut.sum(),
                cancelled.sum(), retried.sum(), exits, 0, queued, latency[0], latency[1], latency[2]);
    }
}
