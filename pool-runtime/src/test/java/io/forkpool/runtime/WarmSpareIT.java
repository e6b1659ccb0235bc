package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.ExitCause;
import io.forkpool.PoolStats;
import io.forkpool.WorkerPool;
import io.forkpool.runtime.tasks.Pid;
import io.forkpool.testsupport.Await;
import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.ChildProcess;
import io.forkpool.testsupport.Gate;
import io.forkpool.testsupport.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm spares with real worker JVMs: a SIGKILLed worker's place is taken by the spare, whose pid
 * the next task reports; a new spare boots behind it; a SIGKILLed spare is replaced as a spare;
 * and a spare dies with its pool and with its supervisor, as any worker does.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WarmSpareIT {

    private static final Duration BOOT = Duration.ofSeconds(60);

    private static List<Long> workerChildren() {
        return Processes.childWorkerPids();
    }

    private static void awaitSpare(WorkerPool pool) throws InterruptedException {
        Await.until("a spare ready", BOOT, () -> pool.stats().sparesReady() == 1);
    }

    private static void awaitSignalExits(WorkerPool pool, long exits) throws InterruptedException {
        Await.until(exits + " exit(s) by a signal", BOOT,
                () -> pool.stats().workerExits().get(ExitCause.SIGNAL) == exits);
    }

    @Test
    void aSigkilledWorkersPlaceIsTakenByTheSpareAndANewSpareBootsBehindIt() throws Exception {
        List<Long> seen = new ArrayList<>();
        try (WorkerPool pool = WorkerPool.builder().name("spare-it").workers(1).warmSpares(1).build()) {
            awaitSpare(pool);
            long worker = pool.stats().workers().get(0).pid();
            assertThat(pool.submit(Pid.class, 0).join()).isEqualTo(worker);
            List<Long> children = workerChildren();
            assertThat(children).hasSize(2).contains(worker);
            long spare = children.stream().filter(pid -> pid != worker).findFirst().orElseThrow();
            seen.addAll(children);

            ProcessHandle.of(worker).orElseThrow().destroyForcibly();
            awaitSignalExits(pool, 1); // else the next task may still go to the dying worker, and be retried
            assertThat(pool.submit(Pid.class, 0).get(30, TimeUnit.SECONDS)).as("runs on the spare").isEqualTo(spare);
            assertThat(pool.stats().workers().get(0).pid()).isEqualTo(spare);

            awaitSpare(pool); // a new spare booted behind it
            long newSpare = workerChildren().stream().filter(pid -> pid != spare).findFirst().orElseThrow();
            assertThat(newSpare).isNotIn(worker, spare);
            seen.add(newSpare);

            ProcessHandle.of(newSpare).orElseThrow().destroyForcibly(); // a spare's death touches no worker
            awaitSignalExits(pool, 1 + 1);
            awaitSpare(pool);
            seen.addAll(workerChildren());
            PoolStats stats = pool.stats();
            assertThat(stats.workers().get(0).pid()).isEqualTo(spare);
            assertThat(stats.workerExits().get(ExitCause.SIGNAL)).isEqualTo(2);
            assertThat(stats.workerRestarts()).as("only the slot's new worker counts").isEqualTo(1);
            assertThat(stats.retried()).isZero();
        }
        Processes.assertAllGone(seen, Duration.ofSeconds(10));
    }

    @Test
    void aSpareDiesWithItsSupervisor(@TempDir Path dir) throws Exception {
        Gate gate = Gate.create(dir.resolve("gate"));
        ChildProcess child = ChildProcess.start(
                ChildJvm.mainClass(StandaloneSupervisor.class).args(gate.path().toString(), "spare").command(),
                dir.resolve("supervisor.out"), dir.resolve("supervisor.log"));
        List<Long> pids = new ArrayList<>();
        try {
            assertThat(child.awaitLine("BUSY"::equals, BOOT)).as("see " + dir).contains("BUSY");
            child.stdout().lines().filter(l -> l.startsWith("PIDS ") || l.startsWith("SPARES ")).forEach(
                    l -> Arrays.stream(l.substring(l.indexOf(' ') + 1).split(" ")).map(Long::valueOf)
                            .forEach(pids::add));
            assertThat(pids).as("two workers and a spare").hasSize(3).allMatch(Processes::alive);

            child.process().destroyForcibly(); // SIGKILL: nothing of the supervisor runs
            Processes.assertAllGone(pids, Duration.ofSeconds(5));
        } finally {
            child.destroyTree(Duration.ofSeconds(10));
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }
}
