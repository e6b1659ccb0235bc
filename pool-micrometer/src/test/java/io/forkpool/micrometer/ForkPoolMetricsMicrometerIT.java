package io.forkpool.micrometer;

import static io.forkpool.micrometer.Meters.counter;
import static io.forkpool.micrometer.Meters.gauge;
import static io.forkpool.micrometer.Meters.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.forkpool.ExitCause;
import io.forkpool.PoolStats;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskOptions;
import io.forkpool.TaskTimeoutException;
import io.forkpool.WorkerPool;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import io.forkpool.micrometer.tasks.Fail;
import io.forkpool.micrometer.tasks.SpinForever;
import io.forkpool.testsupport.Await;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ForkPoolMetrics} on a real pool of one worker JVM: successes, a failure and a timeout that
 * costs the worker its life, then every meter read through a {@link SimpleMeterRegistry}, before and
 * after the pool is closed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForkPoolMetricsMicrometerIT {

    /** Primes below 10,000. */
    private static final long PRIMES = 1_229;

    @Test
    void aRealPoolsFiguresReachTheRegistryAndStayAfterClose() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerPool pool = WorkerPool.builder().name("micrometer-it").workers(1).build();
        ForkPoolMetrics metrics;
        try {
            // No sharing of snapshots: each read below sees the pool as it is.
            metrics = new ForkPoolMetrics(pool, Tags.empty(), Duration.ZERO);
            metrics.bindTo(registry);
            assertThat(counter(registry, "forkpool.tasks.submitted")).isZero();

            for (int i = 0; i < 2; i++) {
                assertThat(pool.submit(CountPrimes.class, new Range(0, 10_000)).get(60, TimeUnit.SECONDS))
                        .isEqualTo(PRIMES);
            }
            assertThat(failure(pool.submit(Fail.class, "no"))).isInstanceOf(TaskFailedException.class);
            TaskOptions halfSecond = TaskOptions.builder().timeout(Duration.ofMillis(500)).build();
            assertThat(failure(pool.submit(SpinForever.class, "", halfSecond)))
                    .isInstanceOf(TaskTimeoutException.class);
            // The replacement answers a task, so it has reported its heap.
            assertThat(pool.submit(CountPrimes.class, new Range(0, 10_000)).get(60, TimeUnit.SECONDS))
                    .isEqualTo(PRIMES);
            // Answered: two counts, the failure, the last count; not the spin, whose worker was killed.
            PoolStats stats = await(pool, s -> s.workers().get(0).tasksCompleted() == 4
                    && s.workers().get(0).heapUsedBytes() > 0 && s.workers().get(0).state().equals("READY"));

            assertThat(counter(registry, "forkpool.tasks.submitted")).isEqualTo(5);
            assertThat(counter(registry, "forkpool.tasks.completed", "outcome", "succeeded")).isEqualTo(3);
            assertThat(counter(registry, "forkpool.tasks.completed", "outcome", "failed")).isEqualTo(1);
            assertThat(counter(registry, "forkpool.tasks.completed", "outcome", "timed-out")).isEqualTo(1);
            assertThat(counter(registry, "forkpool.tasks.completed", "outcome", "cancelled")).isZero();
            assertThat(counter(registry, "forkpool.tasks.retried")).isZero();
            assertThat(gauge(registry, "forkpool.tasks.queued")).isZero();
            assertThat(gauge(registry, "forkpool.workers.states", "state", "ready")).isEqualTo(1);
            assertThat(registry.get("forkpool.workers.states").gauges().stream().mapToDouble(g -> g.value()).sum())
                    .isEqualTo(1);
            assertThat(gauge(registry, "forkpool.workers.alive")).isEqualTo(1);
            assertThat(gauge(registry, "forkpool.workers.spares")).isZero();
            assertThat(counter(registry, "forkpool.workers.restarts")).isEqualTo(1);
            assertExits(registry, Map.of(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL, 1.0));

            assertThat(counter(registry, "forkpool.worker.tasks", "worker", "0")).isEqualTo(4);
            assertThat(counter(registry, "forkpool.worker.restarts", "worker", "0")).isEqualTo(1);
            assertThat(registry.get("forkpool.worker.uptime").tag("worker", "0").timeGauge().value()).isPositive();
            assertThat(gauge(registry, "forkpool.worker.heap.used", "worker", "0")).isPositive();

            for (String latency : new String[] {"queue.wait", "execution", "round.trip"}) {
                String name = "forkpool.tasks." + latency;
                assertThat(counter(registry, name + ".count")).as(name).isEqualTo(4);
                double max = nanos(registry, name + ".max");
                assertThat(max).as(name).isPositive();
                assertThat(nanos(registry, name + ".percentile", "phi", "0.5")).as(name).isPositive()
                        .isLessThanOrEqualTo(max);
            }
            // The figures are the pool's own: nothing ran since that snapshot.
            assertThat(nanos(registry, "forkpool.tasks.round.trip.max"))
                    .isCloseTo(stats.roundTrip().maxNanos(), within(1e-3));
            assertThat(nanos(registry, "forkpool.tasks.execution.percentile", "phi", "0.99"))
                    .isCloseTo(stats.execution().p99Nanos(), within(1e-3));
        } finally {
            pool.close();
        }

        // Closed: the totals stay, the one worker was stopped and its slot is dead.
        assertThat(counter(registry, "forkpool.tasks.submitted")).isEqualTo(5);
        assertThat(counter(registry, "forkpool.tasks.completed", "outcome", "succeeded")).isEqualTo(3);
        assertExits(registry, Map.of(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL, 1.0, ExitCause.STOPPED, 1.0));
        assertThat(gauge(registry, "forkpool.workers.states", "state", "dead")).isEqualTo(1);
        assertThat(gauge(registry, "forkpool.workers.states", "state", "ready")).isZero();
        assertThat(gauge(registry, "forkpool.workers.alive")).isZero();
        assertThat(gauge(registry, "forkpool.tasks.queued")).isZero();
        assertThat(nanos(registry, "forkpool.worker.uptime", "worker", "0")).isZero();
        assertThat(gauge(registry, "forkpool.worker.heap.used", "worker", "0")).isNaN();
        assertThat(counter(registry, "forkpool.worker.tasks", "worker", "0")).isEqualTo(4);
        assertThat(counter(registry, "forkpool.tasks.round.trip.count")).isEqualTo(4);
        // The meters hold the pool weakly: it must stay reachable until the last read.
        Reference.reachabilityFence(pool);

        metrics.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    private static void assertExits(MeterRegistry registry, Map<ExitCause, Double> expected) {
        for (ExitCause cause : ExitCause.values()) {
            assertThat(counter(registry, "forkpool.workers.exits", "cause", ForkPoolMetrics.tagValue(cause.name())))
                    .as(cause.name()).isEqualTo(expected.getOrDefault(cause, 0.0));
        }
    }

    private static Throwable failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the task succeeded");
    }

    /** Waits until the pool's own figures settle as expected, within 30 s; returns the settled ones. */
    private static PoolStats await(WorkerPool pool, Predicate<PoolStats> settled) throws InterruptedException {
        AtomicReference<PoolStats> last = new AtomicReference<>();
        Await.until("the pool's figures to settle", Duration.ofSeconds(30),
                () -> settled.test(last.updateAndGet(ignored -> pool.stats())));
        return last.get();
    }
}
