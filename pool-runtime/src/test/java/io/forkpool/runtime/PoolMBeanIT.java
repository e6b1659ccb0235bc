package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStartupException;
import io.forkpool.PoolStats;
import io.forkpool.TaskFailedException;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.tasks.Echo;
import io.forkpool.runtime.tasks.Fail;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each pool is an MXBean in the platform MBean server while it is open, with the figures of its stats(). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolMBeanIT {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @Test
    void theAttributesAreTheFiguresOfStats() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().name("jmx-figures").workers(2).build()) {
            ObjectName name = awaitRegistered(new ObjectName("io.forkpool:type=WorkerPool,name=jmx-figures"));
            List<CompletableFuture<String>> echoes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                echoes.add(pool.submit(Echo.class, "echo-" + i));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(echoes.get(i).get()).isEqualTo("echo-" + i);
            }
            assertThatThrownBy(() -> pool.submit(Fail.class, "bad").join()).hasCauseInstanceOf(TaskFailedException.class);
            PoolStats stats = statsAfter(pool, 21);

            assertThat(attribute(name, "Name")).isEqualTo("jmx-figures").isEqualTo(stats.name());
            assertThat(attribute(name, "Submitted")).isEqualTo(21L).isEqualTo(stats.submitted());
            assertThat(attribute(name, "Succeeded")).isEqualTo(20L).isEqualTo(stats.succeeded());
            assertThat(attribute(name, "Failed")).isEqualTo(1L).isEqualTo(stats.failed());
            assertThat(attribute(name, "TimedOut")).isEqualTo(0L).isEqualTo(stats.timedOut());
            assertThat(attribute(name, "Cancelled")).isEqualTo(0L).isEqualTo(stats.cancelled());
            assertThat(attribute(name, "Completed")).isEqualTo(21L).isEqualTo(stats.completed());
            assertThat(attribute(name, "Retried")).isEqualTo(0L).isEqualTo(stats.retried());
            assertThat(attribute(name, "Crashes")).isEqualTo(0L).isEqualTo(stats.crashes());
            assertThat(attribute(name, "WorkerRestarts")).isEqualTo(0L).isEqualTo(stats.workerRestarts());
            assertThat(attribute(name, "Queued")).isEqualTo(0L).isEqualTo(stats.queued());
            assertThat(attribute(name, "WorkersAlive")).isEqualTo(2).isEqualTo(stats.workersAlive());
            Map<String, Long> noExits = new HashMap<>();
            for (ExitCause cause : ExitCause.values()) {
                noExits.put(cause.name(), stats.workerExits().get(cause));
            }
            assertThat(JmxValues.longsByKey((TabularData) attribute(name, "WorkerExits"))).isEqualTo(noExits).hasSize(9)
                    .allSatisfy((cause, count) -> assertThat(count).isZero());

            CompositeData[] workers = (CompositeData[]) attribute(name, "Workers");
            assertThat(workers).hasSize(2);
            long answered = 0;
            for (int i = 0; i < 2; i++) {
                WorkerStats expected = stats.workers().get(i);
                assertThat(workers[i].get("workerId")).isEqualTo(i);
                assertThat(workers[i].get("pid")).isEqualTo(expected.pid()).isNotEqualTo(-1L);
                assertThat(workers[i].get("state")).isEqualTo("READY");
                assertThat(workers[i].get("tasksCompleted")).isEqualTo(expected.tasksCompleted());
                assertThat(workers[i].get("restarts")).isEqualTo(0);
                assertThat(workers[i].get("lastExitCause")).isEqualTo("");
                assertThat((Long) workers[i].get("uptimeMillis")).isGreaterThanOrEqualTo(expected.uptime().toMillis());
                answered += (Long) workers[i].get("tasksCompleted");
            }
            assertThat(answered).isEqualTo(21);

            for (String latency : List.of("QueueWait", "Execution", "RoundTrip")) {
                CompositeData read = (CompositeData) attribute(name, latency);
                assertThat(read.get("count")).as(latency).isEqualTo(21L);
                assertThat(latency(read)).as(latency).isEqualTo(switch (latency) {
                    case "QueueWait" -> stats.queueWait();
                    case "Execution" -> stats.execution();
                    default -> stats.roundTrip();
                });
                assertThat((Long) read.get("maxNanos")).as(latency).isPositive();
            }
        }
    }

    @Test
    void closingThePoolUnregistersItsMBean() throws Exception {
        ObjectName name = new ObjectName("io.forkpool:type=WorkerPool,name=jmx-closing");
        WorkerPool pool = WorkerPool.builder().name("jmx-closing").workers(1).build();
        try {
            awaitRegistered(name);
            assertThat(pool.submit(Echo.class, "x").get()).isEqualTo("x");
        } finally {
            pool.close();
        }
        assertThat(SERVER.isRegistered(name)).isFalse();
        assertThat(SERVER.queryNames(new ObjectName("io.forkpool:type=WorkerPool,name=jmx-closing,*"), null)).isEmpty();
    }

    @Test
    void twoOpenPoolsOfTheSameNameAreBothVisible() throws Exception {
        ObjectName first = new ObjectName("io.forkpool:type=WorkerPool,name=jmx-twin");
        ObjectName second = new ObjectName("io.forkpool:type=WorkerPool,name=jmx-twin,id=2");
        try (WorkerPool one = WorkerPool.builder().name("jmx-twin").workers(1).build();
                WorkerPool two = WorkerPool.builder().name("jmx-twin").workers(1).build()) {
            awaitRegistered(first);
            awaitRegistered(second);
            assertThat(SERVER.queryNames(new ObjectName("io.forkpool:type=WorkerPool,name=jmx-twin,*"), null))
                    .containsExactlyInAnyOrder(first, second);
            assertThat(attribute(first, "Name")).isEqualTo("jmx-twin");
            assertThat(attribute(second, "Name")).isEqualTo("jmx-twin");
            // Each pool registers in the background once running: which got which name is not promised.
            assertThat(List.of(((CompositeData[]) attribute(first, "Workers"))[0].get("pid"),
                    ((CompositeData[]) attribute(second, "Workers"))[0].get("pid")))
                    .containsExactlyInAnyOrder(one.stats().workers().get(0).pid(), two.stats().workers().get(0).pid());
        }
        assertThat(SERVER.queryNames(new ObjectName("io.forkpool:type=WorkerPool,name=jmx-twin,*"), null)).isEmpty();
    }

    @Test
    void aPoolThatFailsToStartLeavesNoMBean(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> WorkerPool.builder().name("jmx-unborn").workers(1)
                .javaExecutable(dir.resolve("no-such-java")).build())
                .isInstanceOf(PoolStartupException.class);
        assertThat(SERVER.queryNames(new ObjectName("io.forkpool:type=WorkerPool,name=jmx-unborn,*"), null)).isEmpty();
    }

    private static Object attribute(ObjectName name, String attribute) throws JMException {
        return SERVER.getAttribute(name, attribute);
    }

    /** The pool's stats: a task is counted before its future completes, so nothing to wait for. */
    private static PoolStats statsAfter(WorkerPool pool, long count) {
        PoolStats stats = pool.stats();
        assertThat(stats.completed()).isEqualTo(count);
        return stats;
    }

    /** A pool registers its MBean on its supervisor thread just after it starts. */
    private static ObjectName awaitRegistered(ObjectName name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!SERVER.isRegistered(name) && System.nanoTime() < deadline) {
            Thread.sleep(5); // polls for the registration, within the deadline
        }
        assertThat(SERVER.isRegistered(name)).as("%s registered", name).isTrue();
        return name;
    }

    private static LatencyStats latency(CompositeData data) {
        return new LatencyStats((Long) data.get("count"), (Long) data.get("p50Nanos"), (Long) data.get("p90Nanos"),
                (Long) data.get("p99Nanos"), (Long) data.get("p999Nanos"), (Long) data.get("maxNanos"));
    }
}
