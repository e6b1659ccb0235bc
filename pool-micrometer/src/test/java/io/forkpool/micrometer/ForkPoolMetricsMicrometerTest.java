package io.forkpool.micrometer;

import static io.forkpool.micrometer.Meters.counter;
import static io.forkpool.micrometer.Meters.gauge;
import static io.forkpool.micrometer.Meters.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import io.forkpool.testsupport.Await;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link ForkPoolMetrics} over a pool that answers fixed snapshots: every figure's meter, its name,
 * tags and exact value, read through a {@link SimpleMeterRegistry}; one {@code stats()} per scrape;
 * weak references; closing. No process is started.
 */
class ForkPoolMetricsMicrometerTest {

    /** 25 for the pool, 4 per worker slot, 6 per latency distribution. */
    private static final int POOL_METERS = 25;
    private static final int METERS_PER_WORKER = 4;
    private static final int LATENCY_METERS = 3 * 6;

    private static final LatencyStats QUEUE_WAIT = new LatencyStats(71, 1_000_000, 2_000_000, 3_000_000, 4_000_000,
            5_000_000);
    private static final LatencyStats EXECUTION = new LatencyStats(70, 10_000_000, 20_000_000, 30_000_000,
            40_000_000, 50_000_000);
    private static final LatencyStats ROUND_TRIP = new LatencyStats(71, 11_000_000, 22_000_000, 33_000_000,
            44_000_000, 55_000_000);

    /**
     * The pool of each test, held by the test instance: the meters hold it weakly, and a pool only
     * they referenced could be collected halfway through a test.
     */
    private final StubPool pool = new StubPool(busy());

    /** Four slots, one of each kind: running, starting and not yet reporting, dead, never started. */
    private static PoolStats busy() {
        List<WorkerStats> workers = List.of(
                new WorkerStats(0, 1234, "READY", Duration.ofSeconds(90), 40, 1, Optional.of(ExitCause.EXIT_CODE),
                        50_000_000),
                new WorkerStats(1, 1240, "STARTING", Duration.ofMillis(2_500), 2, 2,
                        Optional.of(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL), -1),
                new WorkerStats(2, -1, "DEAD", Duration.ZERO, 7, 0, Optional.of(ExitCause.SIGNAL), 8_000_000),
                new WorkerStats(3, -1, "NONE", Duration.ZERO, 0, 0, Optional.empty(), -1));
        Map<ExitCause, Long> exits = new EnumMap<>(ExitCause.class);
        exits.put(ExitCause.EXIT_CODE, 1L);
        exits.put(ExitCause.SIGNAL, 1L);
        exits.put(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL, 2L);
        return new PoolStats("stub", workers, 100, 61, 5, 3, 2, 4, exits, 3, 20, QUEUE_WAIT, EXECUTION, ROUND_TRIP,
                1);
    }

    /** The same pool later: every figure moved. */
    private static PoolStats later() {
        PoolStats busy = busy();
        return new PoolStats("stub", busy.workers(), 200, 161, 5, 3, 2, 4, busy.workerExits(), 3, 0, QUEUE_WAIT,
                EXECUTION, new LatencyStats(171, 1, 2, 3, 4, 5), 0);
    }

    @Test
    void everyFigureOfTheSnapshotIsAMeterWithItsExactValue() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ForkPoolMetrics(pool).bindTo(registry);

        assertThat(counter(registry, "forkpool.tasks.submitted")).isEqualTo(100);
        assertThat(counter(registry, "forkpool.tasks.completed", "outcome", "succeeded")).isEqualTo(61);
        assertThat(counter(registry, "forkpool.tasks.completed", "outcome", "failed")).isEqualTo(5);
        assertThat(counter(registry, "forkpool.tasks.completed", "outcome", "timed-out")).isEqualTo(3);
        assertThat(counter(registry, "forkpool.tasks.completed", "outcome", "cancelled")).isEqualTo(2);
        assertThat(counter(registry, "forkpool.tasks.retried")).isEqualTo(4);
        assertThat(gauge(registry, "forkpool.tasks.queued")).isEqualTo(20);

        assertThat(gauge(registry, "forkpool.workers.states", "state", "ready")).isEqualTo(1);
        assertThat(gauge(registry, "forkpool.workers.states", "state", "starting")).isEqualTo(1);
        assertThat(gauge(registry, "forkpool.workers.states", "state", "retiring")).isZero();
        assertThat(gauge(registry, "forkpool.workers.states", "state", "stopping")).isZero();
        assertThat(gauge(registry, "forkpool.workers.states", "state", "dead")).isEqualTo(1);
        assertThat(gauge(registry, "forkpool.workers.states", "state", "none")).isEqualTo(1);
        assertThat(gauge(registry, "forkpool.workers.alive")).isEqualTo(2);
        assertThat(gauge(registry, "forkpool.workers.spares")).isEqualTo(1);
        assertThat(counter(registry, "forkpool.workers.restarts")).isEqualTo(3);

        Map<ExitCause, Double> exits = new EnumMap<>(ExitCause.class);
        for (ExitCause cause : ExitCause.values()) {
            exits.put(cause, counter(registry, "forkpool.workers.exits", "cause", ForkPoolMetrics.tagValue(cause.name()),
                    "crash", Boolean.toString(cause.isCrash())));
        }
        assertThat(exits).containsEntry(ExitCause.EXIT_CODE, 1.0).containsEntry(ExitCause.SIGNAL, 1.0)
                .containsEntry(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL, 2.0)
                .containsEntry(ExitCause.OUT_OF_MEMORY, 0.0).containsEntry(ExitCause.STOPPED, 0.0);
        assertThat(exits.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(4);
        assertThat(registry.get("forkpool.workers.exits").tag("crash", "true").functionCounters().stream()
                .mapToDouble(c -> c.count()).sum()).isEqualTo(busy().crashes());

        assertThat(counter(registry, "forkpool.worker.tasks", "worker", "0")).isEqualTo(40);
        assertThat(counter(registry, "forkpool.worker.tasks", "worker", "1")).isEqualTo(2);
        assertThat(counter(registry, "forkpool.worker.tasks", "worker", "2")).isEqualTo(7);
        assertThat(counter(registry, "forkpool.worker.tasks", "worker", "3")).isZero();
        assertThat(counter(registry, "forkpool.worker.restarts", "worker", "0")).isEqualTo(1);
        assertThat(counter(registry, "forkpool.worker.restarts", "worker", "1")).isEqualTo(2);
        assertThat(counter(registry, "forkpool.worker.restarts", "worker", "2")).isZero();
        assertThat(counter(registry, "forkpool.worker.restarts", "worker", "3")).isZero();
        assertThat(nanos(registry, "forkpool.worker.uptime", "worker", "0")).isCloseTo(90e9, within(1e-3));
        assertThat(nanos(registry, "forkpool.worker.uptime", "worker", "1")).isCloseTo(2.5e9, within(1e-3));
        assertThat(nanos(registry, "forkpool.worker.uptime", "worker", "2")).isZero();
        assertThat(nanos(registry, "forkpool.worker.uptime", "worker", "3")).isZero();
        assertThat(gauge(registry, "forkpool.worker.heap.used", "worker", "0")).isEqualTo(50_000_000);
        assertThat(gauge(registry, "forkpool.worker.heap.used", "worker", "1")).as("not reported yet").isNaN();
        assertThat(gauge(registry, "forkpool.worker.heap.used", "worker", "2")).as("no process").isNaN();
        assertThat(gauge(registry, "forkpool.worker.heap.used", "worker", "3")).as("never started").isNaN();

        assertLatency(registry, "forkpool.tasks.queue.wait", QUEUE_WAIT);
        assertLatency(registry, "forkpool.tasks.execution", EXECUTION);
        assertLatency(registry, "forkpool.tasks.round.trip", ROUND_TRIP);
    }

    @Test
    void theMetersAreThoseTheJavadocListsAndNoOthers() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ForkPoolMetrics(pool).bindTo(registry);

        assertThat(registry.getMeters()).hasSize(POOL_METERS + 4 * METERS_PER_WORKER + LATENCY_METERS);
        Set<String> names = registry.getMeters().stream().map(meter -> meter.getId().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(names).containsExactly("forkpool.tasks.completed", "forkpool.tasks.execution.count",
                "forkpool.tasks.execution.max", "forkpool.tasks.execution.percentile", "forkpool.tasks.queue.wait.count",
                "forkpool.tasks.queue.wait.max", "forkpool.tasks.queue.wait.percentile", "forkpool.tasks.queued",
                "forkpool.tasks.retried", "forkpool.tasks.round.trip.count", "forkpool.tasks.round.trip.max",
                "forkpool.tasks.round.trip.percentile", "forkpool.tasks.submitted", "forkpool.worker.heap.used",
                "forkpool.worker.restarts", "forkpool.worker.tasks", "forkpool.worker.uptime", "forkpool.workers.alive",
                "forkpool.workers.exits", "forkpool.workers.restarts", "forkpool.workers.spares",
                "forkpool.workers.states");
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTag("pool")).as(meter.getId().toString()).isEqualTo("stub");
            assertThat(meter.getId().getDescription()).as(meter.getId().toString()).isNotBlank();
        }
        assertThat(registry.get("forkpool.worker.heap.used").gauges()).allSatisfy(
                gauge -> assertThat(gauge.getId().getBaseUnit()).isEqualTo("bytes"));
        assertThat(registry.get("forkpool.tasks.round.trip.max").timeGauge().getId().getBaseUnit())
                .isEqualTo("seconds");
        // No tag that grows without bound: nothing names a process id.
        assertThat(registry.getMeters().stream().flatMap(meter -> meter.getId().getTags().stream()).map(Tag::getKey)
                .distinct()).containsExactlyInAnyOrder("pool", "outcome", "state", "cause", "crash", "worker", "phi");
    }

    @Test
    void aPoolWithoutWorkerSlotsGetsNoPerWorkerMeters() {
        PoolStats clusterLike = new PoolStats("cluster", List.of(), 5, 5, 0, 0, 0, 0, Map.of(), 0, 0, QUEUE_WAIT,
                EXECUTION, ROUND_TRIP);
        StubPool cluster = new StubPool(clusterLike);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ForkPoolMetrics(cluster).bindTo(registry);

        assertThat(registry.getMeters()).hasSize(POOL_METERS + LATENCY_METERS);
        assertThat(registry.find("forkpool.worker.tasks").meters()).isEmpty();
        assertThat(gauge(registry, "forkpool.workers.alive")).isZero();
        assertThat(registry.get("forkpool.workers.states").gauges()).allSatisfy(
                gauge -> assertThat(gauge.value()).isZero());
        Reference.reachabilityFence(cluster);
    }

    @Test
    void givenTagsGoOnEveryMeterAndMayReplaceThePoolTag() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ForkPoolMetrics(pool, Tags.of("region", "eu", "pool", "renamed")).bindTo(registry);

        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTag("pool")).isEqualTo("renamed");
            assertThat(meter.getId().getTag("region")).isEqualTo("eu");
        }
        assertThat(registry.get("forkpool.tasks.submitted").tags("pool", "renamed", "region", "eu").functionCounter()
                .count()).isEqualTo(100);
    }

    @Test
    void allMetersOfAScrapeShareOneSnapshotInEveryRegistry() {
        AtomicLong clock = new AtomicLong();
        ForkPoolMetrics metrics = new ForkPoolMetrics(pool, Tags.empty(), Duration.ofSeconds(1), clock::get);
        assertThat(pool.statsCalls()).as("the constructor's snapshot, for the name and the slots").isEqualTo(1);
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(first);
        metrics.bindTo(second);

        scrape(first);
        scrape(second);
        assertThat(pool.statsCalls()).as("the constructor's snapshot is still young").isEqualTo(1);

        pool.answer(later());
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        scrape(first);
        assertThat(pool.statsCalls()).isEqualTo(1);
        assertThat(counter(first, "forkpool.tasks.submitted")).isEqualTo(100);

        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        scrape(first);
        scrape(second);
        assertThat(pool.statsCalls()).as("one more snapshot for both scrapes").isEqualTo(2);
        assertThat(counter(first, "forkpool.tasks.submitted")).isEqualTo(200);
        assertThat(counter(second, "forkpool.tasks.submitted")).isEqualTo(200);
        assertThat(gauge(second, "forkpool.tasks.queued")).isZero();
        assertThat(counter(second, "forkpool.tasks.round.trip.count")).isEqualTo(171);
        assertThat(gauge(second, "forkpool.workers.spares")).isZero();
    }

    @Test
    void aZeroTimeToLiveTakesASnapshotForEveryRead() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ForkPoolMetrics(pool, Tags.empty(), Duration.ZERO).bindTo(registry);
        int before = pool.statsCalls();

        pool.answer(later());
        assertThat(counter(registry, "forkpool.tasks.submitted")).isEqualTo(200);
        assertThat(gauge(registry, "forkpool.tasks.queued")).isZero();
        assertThat(pool.statsCalls()).isEqualTo(before + 2);
    }

    @Test
    void neitherTheBinderNorItsMetersKeepThePoolAlive() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Bound bound = bindAndForget(registry);
        assertThat(counter(registry, "forkpool.tasks.submitted")).isEqualTo(100);

        Await.until("the pool collected while its binder and meters live", Duration.ofSeconds(30), () -> {
            System.gc();
            return bound.pool().get() == null;
        });

        assertThat(gauge(registry, "forkpool.tasks.queued")).isNaN();
        assertThat(gauge(registry, "forkpool.worker.heap.used", "worker", "0")).isNaN();
        assertThat(registry.get("forkpool.tasks.round.trip.max").timeGauge().value()).isNaN();
        assertThat(counter(registry, "forkpool.tasks.submitted")).as("a counter keeps its last value").isEqualTo(100);

        SimpleMeterRegistry another = new SimpleMeterRegistry();
        bound.metrics().bindTo(another);
        assertThat(another.getMeters()).as("nothing to bind once the pool is gone").isEmpty();
        bound.metrics().close();
        assertThat(registry.getMeters()).isEmpty();
    }

    private record Bound(ForkPoolMetrics metrics, WeakReference<StubPool> pool) {
    }

    /** Binds a pool that nothing else references once this returns. */
    private static Bound bindAndForget(MeterRegistry registry) {
        StubPool forgotten = new StubPool(busy());
        ForkPoolMetrics metrics = new ForkPoolMetrics(forgotten);
        metrics.bindTo(registry);
        return new Bound(metrics, new WeakReference<>(forgotten));
    }

    @Test
    void closeRemovesTheMetersFromEveryRegistryItWasBoundTo() {
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        ForkPoolMetrics metrics = new ForkPoolMetrics(pool);
        metrics.bindTo(first);
        metrics.bindTo(first);
        metrics.bindTo(second);
        assertThat(first.getMeters()).as("bound twice, registered once")
                .hasSize(POOL_METERS + 4 * METERS_PER_WORKER + LATENCY_METERS);

        metrics.close();
        metrics.close();
        assertThat(first.getMeters()).isEmpty();
        assertThat(second.getMeters()).isEmpty();
        assertThatThrownBy(() -> metrics.bindTo(first)).isInstanceOf(IllegalStateException.class);

        // A pool of the same name can then be bound in its place.
        StubPool next = new StubPool(later());
        new ForkPoolMetrics(next).bindTo(first);
        assertThat(counter(first, "forkpool.tasks.submitted")).isEqualTo(200);
        Reference.reachabilityFence(next);
    }

    @Test
    void rejectsANegativeTimeToLiveAndNulls() {
        assertThatThrownBy(() -> new ForkPoolMetrics(pool, Tags.empty(), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ForkPoolMetrics(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ForkPoolMetrics(pool, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ForkPoolMetrics(pool).bindTo(null)).isInstanceOf(NullPointerException.class);
        // A time to live too long for a long of nanoseconds is as good as forever.
        new ForkPoolMetrics(pool, Tags.empty(), Duration.ofSeconds(Long.MAX_VALUE)).bindTo(new SimpleMeterRegistry());
    }

    // ---- reading meters

    private static void assertLatency(MeterRegistry registry, String name, LatencyStats expected) {
        assertThat(nanos(registry, name + ".percentile", "phi", "0.5")).isCloseTo(expected.p50Nanos(), within(1e-3));
        assertThat(nanos(registry, name + ".percentile", "phi", "0.9")).isCloseTo(expected.p90Nanos(), within(1e-3));
        assertThat(nanos(registry, name + ".percentile", "phi", "0.99")).isCloseTo(expected.p99Nanos(), within(1e-3));
        assertThat(nanos(registry, name + ".percentile", "phi", "0.999")).isCloseTo(expected.p999Nanos(),
                within(1e-3));
        assertThat(nanos(registry, name + ".max")).isCloseTo(expected.maxNanos(), within(1e-3));
        assertThat(counter(registry, name + ".count")).isEqualTo(expected.count());
        // SimpleMeterRegistry's base time unit: seconds.
        assertThat(registry.get(name + ".max").timeGauge().value()).isCloseTo(expected.maxNanos() / 1e9,
                within(1e-12));
    }

    /** Reads every meter, as a registry publishing them does. */
    private static void scrape(MeterRegistry registry) {
        for (Meter meter : registry.getMeters()) {
            meter.measure().forEach(measurement -> assertThat(measurement.getValue()).isNotNull());
        }
    }
}
