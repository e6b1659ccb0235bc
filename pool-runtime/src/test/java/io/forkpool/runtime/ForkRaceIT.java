package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.tasks.ForkLoop;
import io.forkpool.runtime.tasks.StartEscapee;
import io.forkpool.testsupport.Await;
import io.forkpool.testsupport.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's session is killed until it is empty, so children that fork as fast as they can
 * cannot outrun a worker kill or {@code close()}; and a child that left the session but kept the
 * worker's output neither survives {@code close()} nor keeps a pool thread alive.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ForkRaceIT {

    private static final int ROUNDS = 20;
    /** How many forked sleeps must exist before the kill: the loops are well under way. */
    private static final int FORKED_BEFORE_KILL = 20;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TAG = "1000." + ProcessHandle.current().pid() % 100_000 + "0";

    private static String sleepOf(String mode, int round) {
        return TAG + (mode.equals("kill") ? "1" : "2") + String.format("%02d", round);
    }

    /** Waits until the loops are well under way, and checks that they still fork: the kill races them. */
    private static void awaitForking(String sleep, List<Long> shells) throws InterruptedException {
        Await.until(FORKED_BEFORE_KILL + " sleeps " + sleep + " forked", WAIT,
                () -> Processes.running("sleep " + sleep).size() >= FORKED_BEFORE_KILL);
        assertThat(Processes.alive(shells.get(1))).as("the double-forking loop still forks").isTrue();
    }

    @Test
    void aForkLoopDoesNotOutrunTheKillOfItsWorkerTwentyTimes() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().name("fork-kill").workers(1)
                .restartLimit(1_000, Duration.ofMinutes(1)).build()) {
            for (int round = 0; round < ROUNDS; round++) {
                String sleep = sleepOf("kill", round);
                long worker = pool.stats().workers().get(0).pid();
                awaitForking(sleep, pool.submit(ForkLoop.class, sleep).get(30, TimeUnit.SECONDS));
                ProcessHandle.of(worker).orElseThrow().destroyForcibly();
                // Its replacement is started only once the dead worker's session was emptied.
                Await.until("worker " + worker + " replaced", WAIT, () -> {
                    WorkerStats now = pool.stats().workers().get(0);
                    return now.pid() != worker && now.state().equals("READY");
                });
                assertThat(Processes.running("sleep " + sleep)).as("round " + round).isEmpty();
            }
        }
    }

    @Test
    void aForkLoopDoesNotOutrunCloseTwentyTimes() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String sleep = sleepOf("close", round);
            try (WorkerPool pool = WorkerPool.builder().name("fork-close").workers(1).build()) {
                awaitForking(sleep, pool.submit(ForkLoop.class, sleep).get(30, TimeUnit.SECONDS));
            }
            assertThat(Processes.running("sleep " + sleep)).as("round " + round).isEmpty();
        }
    }

    @Test
    void aChildThatLeftTheSessionButKeptTheOutputDiesWithCloseAndLeavesNoPoolThread(@TempDir Path dir)
            throws Exception {
        Path pidFile = dir.resolve("escapee.pid");
        try (WorkerPool pool = WorkerPool.builder().name("escapee").workers(1).build()) {
            assertThat(pool.submit(StartEscapee.class, pidFile.toString()).get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
        long escapee = Long.parseLong(Files.readString(pidFile).trim());
        try {
            assertThat(Processes.alive(escapee)).as("escapee " + escapee + " alive after close()").isFalse();
            List<String> poolThreads = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                    .map(Thread::getName).filter(name -> name.startsWith("escapee-")).toList();
            assertThat(poolThreads).as("the pool's threads after close()").isEmpty();
        } finally {
            ProcessHandle.of(escapee).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
