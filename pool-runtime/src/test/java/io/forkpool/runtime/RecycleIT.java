package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.WorkerPool;
import io.forkpool.runtime.tasks.HoldMemory;
import io.forkpool.runtime.tasks.Pid;
import io.forkpool.testsupport.Processes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers retired by task count or heap use are replaced first; no task is lost. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecycleIT {

    @Test
    void aWorkerIsRetiredAfterMaxTasksAndNoTaskIsLost() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(2).maxTasksPerWorker(7).build()) {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                futures.add(pool.submit(Pid.class, 5));
            }
            Map<Long, Integer> tasksPerPid = new HashMap<>();
            for (CompletableFuture<Long> future : futures) {
                tasksPerPid.merge(future.get(60, TimeUnit.SECONDS), 1, Integer::sum);
            }
            assertThat(tasksPerPid.values()).allMatch(n -> n <= 7);
            assertThat(tasksPerPid.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
            assertThat(tasksPerPid).hasSizeGreaterThanOrEqualTo(60 / 7);
            assertThat(pool.stats().failed()).isZero();
            assertThat(Processes.zombieChildren()).isEmpty();
        }
    }

    @Test
    void aWorkerAboveTheHeapLimitIsRetired() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).jvmOptions("-Xmx256m", "-XX:+UseSerialGC")
                .maxWorkerHeapBytes(64L << 20).build()) {
            long leaky = pool.submit(HoldMemory.class, 100).get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long next = leaky;
            while (next == leaky && System.nanoTime() < deadline) {
                next = pool.submit(Pid.class, 0).get(30, TimeUnit.SECONDS);
            }
            assertThat(next).isNotEqualTo(leaky);
            Processes.assertAllGone(List.of(leaky), java.time.Duration.ofSeconds(5));
            assertThat(pool.stats().failed()).isZero();
        }
    }
}
