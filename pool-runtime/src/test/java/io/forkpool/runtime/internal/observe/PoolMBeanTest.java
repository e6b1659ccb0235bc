package io.forkpool.runtime.internal.observe;

import static io.forkpool.runtime.JmxValues.items;
import static io.forkpool.runtime.JmxValues.longsByKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MXBean against hand-built snapshots, in a private MBean server: no processes, no platform server. */
@Timeout(10)
class PoolMBeanTest {

    private static final WorkerStats READY = new WorkerStats(0, 4_242, "READY", Duration.ofMillis(1_500), 7, 1,
            Optional.of(ExitCause.SIGNAL), 12_345_678);
    private static final WorkerStats DEAD = new WorkerStats(1, -1, "DEAD", Duration.ZERO, 3, 0, Optional.empty(), -1);
    private static final PoolStats STATS = new PoolStats("figures", List.of(READY, DEAD), 100, 80, 7, 3, 2, 5,
            Map.of(ExitCause.SIGNAL, 1L, ExitCause.OUT_OF_MEMORY, 3L, ExitCause.RETIRED, 2L), 1, 8,
            new LatencyStats(10, 1_000, 2_000, 3_000, 4_000, 5_000),
            new LatencyStats(11, 100, 200, 300, 400, 500),
            new LatencyStats(12, 10_000, 20_000, 30_000, 40_000, 50_000), 2);

    /** A server of this test's own (newMBeanServer keeps no reference to it): nothing to release. */
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();

    @Test
    void everyAttributeReadsBackTheSnapshotsExactFigures() throws Exception {
        ObjectName name = PoolMBean.register("figures", () -> STATS, () -> server).name();

        assertThat(name).isEqualTo(new ObjectName("io.forkpool:type=WorkerPool,name=figures"));
        assertThat(Arrays.stream(server.getMBeanInfo(name).getAttributes()).map(MBeanAttributeInfo::getName))
                .containsExactlyInAnyOrder("Name", "Submitted", "Succeeded", "Failed", "TimedOut", "Cancelled",
                        "Completed", "Retried", "Crashes", "WorkerRestarts", "Queued", "WorkersAlive", "SparesReady",
                        "WorkerExits", "Workers", "QueueWait", "Execution", "RoundTrip");
        assertThat(server.getAttribute(name, "Name")).isEqualTo("figures");
        assertThat(server.getAttribute(name, "Submitted")).isEqualTo(100L);
        assertThat(server.getAttribute(name, "Succeeded")).isEqualTo(80L);
        assertThat(server.getAttribute(name, "Failed")).isEqualTo(7L);
        assertThat(server.getAttribute(name, "TimedOut")).isEqualTo(3L);
        assertThat(server.getAttribute(name, "Cancelled")).isEqualTo(2L);
        assertThat(server.getAttribute(name, "Completed")).isEqualTo(92L);
        assertThat(server.getAttribute(name, "Retried")).isEqualTo(5L);
        assertThat(server.getAttribute(name, "Crashes")).isEqualTo(4L); // SIGNAL and OUT_OF_MEMORY, not RETIRED
        assertThat(server.getAttribute(name, "WorkerRestarts")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "Queued")).isEqualTo(8L);
        assertThat(server.getAttribute(name, "WorkersAlive")).isEqualTo(1);
        assertThat(server.getAttribute(name, "SparesReady")).isEqualTo(2);
        assertThat(longsByKey((TabularData) server.getAttribute(name, "WorkerExits"))).isEqualTo(Map.of(
                "EXIT_CODE", 0L, "UNEXPECTED_NORMAL_EXIT", 0L, "SIGNAL", 1L, "OUT_OF_MEMORY", 3L,
                "PROTOCOL_VIOLATION", 0L, "STARTUP_FAILURE", 0L, "KILLED_FOR_TIMEOUT_OR_CANCEL", 0L, "RETIRED", 2L,
                "STOPPED", 0L));
        CompositeData[] workers = (CompositeData[]) server.getAttribute(name, "Workers");
        assertThat(workers).hasSize(2);
        assertThat(items(workers[0])).isEqualTo(Map.of("workerId", 0, "pid", 4_242L, "state", "READY",
                "uptimeMillis", 1_500L, "tasksCompleted", 7L, "restarts", 1, "lastExitCause", "SIGNAL",
                "heapUsedBytes", 12_345_678L));
        assertThat(items(workers[1])).isEqualTo(Map.of("workerId", 1, "pid", -1L, "state", "DEAD",
                "uptimeMillis", 0L, "tasksCompleted", 3L, "restarts", 0, "lastExitCause", "",
                "heapUsedBytes", -1L));
        assertThat(items((CompositeData) server.getAttribute(name, "QueueWait"))).isEqualTo(latency(10, 1_000, 2_000,
                3_000, 4_000, 5_000));
        assertThat(items((CompositeData) server.getAttribute(name, "Execution"))).isEqualTo(latency(11, 100, 200,
                300, 400, 500));
        assertThat(items((CompositeData) server.getAttribute(name, "RoundTrip"))).isEqualTo(latency(12, 10_000,
                20_000, 30_000, 40_000, 50_000));
    }

    @Test
    void everyReadTakesAFreshSnapshot() throws Exception {
        AtomicReference<PoolStats> current = new AtomicReference<>(STATS);
        ObjectName name = PoolMBean.register("figures", current::get, () -> server).name();
        assertThat(server.getAttribute(name, "Submitted")).isEqualTo(100L);
        current.set(new PoolStats("figures", List.of(), 101, 0, 0, 0, 0, 0, Map.of(), 0, 0, LatencyStats.EMPTY,
                LatencyStats.EMPTY, LatencyStats.EMPTY));
        assertThat(server.getAttribute(name, "Submitted")).isEqualTo(101L);
        assertThat((CompositeData[]) server.getAttribute(name, "Workers")).isEmpty();
    }

    @Test
    void aSecondPoolOfTheSameNameGetsTheFirstFreeId() throws Exception {
        PoolMBean first = PoolMBean.register("twin", () -> STATS, () -> server);
        PoolMBean second = PoolMBean.register("twin", () -> STATS, () -> server);
        assertThat(first.name()).isEqualTo(new ObjectName("io.forkpool:type=WorkerPool,name=twin"));
        assertThat(second.name()).isEqualTo(new ObjectName("io.forkpool:type=WorkerPool,name=twin,id=2"));
        assertThat(server.isRegistered(first.name())).isTrue();
        assertThat(server.isRegistered(second.name())).isTrue();

        first.unregister();
        assertThat(server.isRegistered(first.name())).isFalse();
        assertThat(server.isRegistered(second.name())).isTrue();
        PoolMBean third = PoolMBean.register("twin", () -> STATS, () -> server);
        assertThat(third.name()).isEqualTo(first.name());
        second.unregister();
        third.unregister();
        assertThat(server.queryNames(new ObjectName("io.forkpool:*"), null)).isEmpty();
    }

    @Test
    void aNameIsQuotedOnlyWhenAnUnquotedValueCouldNotHoldIt() throws Exception {
        assertThat(PoolMBean.objectName("forkpool-1 (a\\b)", 1).getKeyProperty("name")).isEqualTo("forkpool-1 (a\\b)");
        for (String special : List.of("a,id=7", "a:b", "say \"hi\"", "any*", "what?", "two\nlines")) {
            ObjectName name = PoolMBean.objectName(special, 1);
            assertThat(name.isPattern()).isFalse();
            assertThat(name.getKeyPropertyList()).containsOnlyKeys("type", "name");
            assertThat(name.getKeyProperty("name")).isEqualTo(ObjectName.quote(special));
            assertThat(ObjectName.unquote(name.getKeyProperty("name"))).isEqualTo(special);
        }
        assertThat(PoolMBean.objectName("a,b", 3))
                .isEqualTo(new ObjectName("io.forkpool:type=WorkerPool,name=\"a,b\",id=3"));
    }

    @Test
    void aRegistrationThatFailsIsLoggedAndNeverThrown() {
        MBeanServer refusing = (MBeanServer) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MBeanServer.class}, (proxy, method, args) -> {
                    throw new SecurityException("no MBeans here");
                });
        assertThat(PoolMBean.register("refused", () -> STATS, () -> refusing)).isSameAs(PoolMBean.NONE);
        assertThat(PoolMBean.register("no-server", () -> STATS, () -> {
            throw new IllegalStateException("no platform server");
        })).isSameAs(PoolMBean.NONE);
        PoolMBean.NONE.unregister(); // nothing to do, nothing thrown
    }

    private static Map<String, Object> latency(long count, long p50, long p90, long p99, long p999, long max) {
        return Map.of("count", count, "p50Nanos", p50, "p90Nanos", p90, "p99Nanos", p99, "p999Nanos", p999,
                "maxNanos", max);
    }
}
