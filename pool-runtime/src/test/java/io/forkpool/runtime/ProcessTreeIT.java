package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.WorkerPool;
import io.forkpool.runtime.tasks.Pid;
import io.forkpool.runtime.tasks.SpawnGrandchildren;
import io.forkpool.testsupport.Processes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Killing a worker kills everything it started; the supervisor leaves no zombie. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ProcessTreeIT {

    private static final AtomicInteger TAGS = new AtomicInteger((int) (ProcessHandle.current().pid() % 1000) * 10);

    private static List<Long> sleepers(int tag) {
        List<Long> pids = new java.util.ArrayList<>();
        for (String sleep : SpawnGrandchildren.sleeps(tag)) {
            pids.addAll(Processes.running("sleep " + sleep));
        }
        return pids;
    }

    /**
     * The task's three sleepers, once all three run {@code sleep}: a backgrounded one may still be
     * a forked shell, not yet {@code sleep}, when the task that started it returns.
     */
    private static List<Long> awaitSleepers(int tag) throws InterruptedException {
        io.forkpool.testsupport.Await.until("three sleepers of tag " + tag, Duration.ofSeconds(10),
                () -> sleepers(tag).size() >= 3);
        return sleepers(tag);
    }

    @Test
    void grandchildrenIncludingDoubleForkedAndNohupOnesDieWithTheirWorker() throws Exception {
        int tag = TAGS.incrementAndGet();
        try (WorkerPool pool = WorkerPool.builder().workers(1).build()) {
            long worker = pool.stats().workers().get(0).pid();
            pool.submit(SpawnGrandchildren.class, tag).get(30, TimeUnit.SECONDS);
            List<Long> sleepers = awaitSleepers(tag);
            assertThat(sleepers).hasSize(3);
            ProcessHandle.of(worker).orElseThrow().destroyForcibly();
            Processes.assertAllGone(sleepers, Duration.ofSeconds(2));
        }
    }

    @Test
    void closeLeavesNoGrandchild() throws Exception {
        int tag = TAGS.incrementAndGet();
        List<Long> sleepers;
        try (WorkerPool pool = WorkerPool.builder().workers(2).build()) {
            pool.submit(SpawnGrandchildren.class, tag).get(30, TimeUnit.SECONDS);
            sleepers = awaitSleepers(tag);
            assertThat(sleepers).hasSize(3);
        }
        Processes.assertAllGone(sleepers, Duration.ofSeconds(2));
    }

    @Test
    void twoHundredKillAndReplaceCyclesLeaveNoZombie() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(2).tasksInFlightPerWorker(1)
                .restartLimit(1_000, Duration.ofMinutes(1)).build()) {
            for (int cycle = 0; cycle < 100; cycle++) {
                // One task on each worker (one in flight each), so both have served when killed.
                var first = pool.submit(Pid.class, 50);
                var second = pool.submit(Pid.class, 50);
                List<Long> pids = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
                assertThat(pids).doesNotHaveDuplicates();
                for (long pid : pids) {
                    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                }
                for (int slot = 0; slot < 2; slot++) {
                    WorkerFailureIT.awaitNewPid(pool, slot, pids.get(0));
                    WorkerFailureIT.awaitNewPid(pool, slot, pids.get(1));
                }
            }
            assertThat(pool.stats().workerRestarts()).isEqualTo(200);
            assertThat(Processes.zombieChildren()).isEmpty();
        }
        assertThat(Processes.zombieChildren()).isEmpty();
        assertThat(Processes.childWorkers()).isEmpty();
    }
}
