package io.forkpool.demo;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import io.forkpool.cluster.MemberStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Figures shared by the report and progress tests: a 200-task pool run where one worker was killed
 * once, and a 200-task cluster run where one of three members left holding 12 tasks.
 */
final class Fixtures {

    static final LatencyStats ROUND_TRIP = new LatencyStats(200, 3_410_000_000L, 6_120_000_000L, 6_710_000_000L,
            6_770_000_000L, 6_780_000_000L);
    static final LatencyStats QUEUE_WAIT = new LatencyStats(200, 3_370_000_000L, 6_070_000_000L, 6_670_000_000L,
            6_730_000_000L, 6_740_000_000L);
    static final LatencyStats EXECUTION = new LatencyStats(200, 850, 12_345, 45_600_000, 52_000_000, 52_300_000);

    static final PoolStats STATS = new PoolStats("primes",
            List.of(new WorkerStats(0, 41234, "READY", Duration.ofSeconds(9), 101, 0, Optional.empty(), 20_000_000),
                    new WorkerStats(1, 41290, "READY", Duration.ofSeconds(4), 99, 1, Optional.of(ExitCause.SIGNAL),
                            18_000_000)),
            200, 200, 0, 0, 0, 1, Map.of(ExitCause.SIGNAL, 1L), 1, 0, QUEUE_WAIT, EXECUTION, ROUND_TRIP);

    static final RunResult POOL_RUN = new RunResult(1_270_607, 200, 2_310, 9_182, Optional.of(STATS), List.of());

    static final DemoOptions POOL_OPTIONS = new DemoOptions(20_000_000, 100_000, 2, false, List.of(), true, 3,
            Optional.of(Path.of("/opt/jdk/bin/java")), ProgressMode.AUTO, false);

    static final PoolStats CLUSTER_STATS = new PoolStats("primes", List.of(), 200, 200, 0, 0, 0, 12, Map.of(), 0, 0,
            QUEUE_WAIT, EXECUTION, ROUND_TRIP);

    static final List<MemberStats> MEMBERS = List.of(
            new MemberStats("10.0.0.1:5701", "5f0c2b8e-0000-4000-8000-000000000001", 2, 120, 19, 0, 0, true),
            new MemberStats("node-b.example:5701", "5f0c2b8e-0000-4000-8000-000000000002", 1, 12, 5, 0, 12, false),
            new MemberStats("10.0.0.3:5701", "5f0c2b8e-0000-4000-8000-000000000003", 1, 68, 14, 0, 0, true));

    static final RunResult CLUSTER_RUN = new RunResult(1_270_607, 200, 420, 6_410, Optional.of(CLUSTER_STATS),
            MEMBERS);

    static final DemoOptions CLUSTER_OPTIONS = new DemoOptions(20_000_000, 100_000, 2, false,
            List.of("10.0.0.1:5701", "node-b.example:5701"), false, 3, Optional.empty(), ProgressMode.AUTO, false);

    private Fixtures() {
    }
}
