package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.PoolStartupException;
import io.forkpool.WorkerCrashedException;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.tasks.CountPrimes;
import io.forkpool.runtime.tasks.Halt;
import io.forkpool.runtime.tasks.Pid;
import io.forkpool.runtime.tasks.Range;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Workers that die, and workers that cannot start: real processes, real signals. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerFailureIT {

    private static WorkerCrashedException crashOf(CompletableFuture<?> future) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> future.get(60, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(WorkerCrashedException.class);
        return (WorkerCrashedException) e.getCause();
    }

    private static long awaitNewPid(WorkerPool pool, int slot, long oldPid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            WorkerStats stats = pool.stats().workers().get(slot);
            if (stats.pid() > 0 && stats.pid() != oldPid && stats.state().equals("READY")) {
                return stats.pid();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("worker " + slot + " was not replaced: " + pool.stats());
    }

    @Test
    void aWorkerThatHaltsFailsItsTaskWithExitCodeAndOutputThenIsReplaced() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).build()) {
            long pid = pool.stats().workers().get(0).pid();
            WorkerCrashedException crash = crashOf(pool.submit(Halt.class, 42));
            assertThat(crash.workerPid()).isEqualTo(pid);
            assertThat(crash.workerId()).isZero();
            assertThat(crash.exitCode()).hasValue(42);
            assertThat(crash.exitDescription()).isEqualTo("exited with code 42");
            assertThat(crash.outputTail()).contains("about to halt with 42");
            assertThat(crash.taskClass()).isEqualTo(Halt.class.getName());
            assertThat(crash.getMessage()).contains("worker 0 (pid " + pid + ") died running task")
                    .contains("about to halt with 42");
            assertThat(Processes.alive(pid)).isFalse();

            long replacement = awaitNewPid(pool, 0, pid);
            assertThat(pool.submit(Pid.class, 0).get()).isEqualTo(replacement);
            assertThat(pool.stats().workers().get(0).restarts()).isEqualTo(1);
            assertThat(pool.stats().workerRestarts()).isEqualTo(1);
            assertThat(Processes.parentOf(replacement)).contains(ProcessHandle.current().pid());
        }
    }

    @Test
    void aWorkerKilledWithSigkillFailsOnlyItsOwnTasksAndTheRestComplete() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(2).build()) {
            long victim = pool.stats().workers().get(0).pid();
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(Pid.class, 300));
            }
            Thread.sleep(500); // both workers are busy now
            assertThat(ProcessHandle.of(victim).orElseThrow().destroyForcibly()).isTrue();

            int crashed = 0;
            int succeeded = 0;
            for (CompletableFuture<Long> future : futures) {
                try {
                    future.get(60, TimeUnit.SECONDS);
                    succeeded++;
                } catch (ExecutionException e) {
                    WorkerCrashedException crash = (WorkerCrashedException) e.getCause();
                    assertThat(crash.workerPid()).isEqualTo(victim);
                    assertThat(crash.exitCode()).hasValue(137);
                    assertThat(crash.exitDescription()).contains("SIGKILL");
                    crashed++;
                }
            }
            // The victim held at most tasksInFlightPerWorker (2) tasks; everything else ran.
            assertThat(crashed).isBetween(1, 2);
            assertThat(succeeded + crashed).isEqualTo(20);
            awaitNewPid(pool, 0, victim);
            assertThat(pool.submit(CountPrimes.class, new Range(0, 10_000)).get()).isEqualTo(1_229L);
        }
    }

    @Test
    void aWorkerThatCallsSystemExitIsReportedWithItsCode() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).build()) {
            WorkerCrashedException crash = crashOf(pool.submit(io.forkpool.runtime.tasks.Exit.class, 7));
            assertThat(crash.exitCode()).hasValue(7);
        }
    }

    @Test
    void aRejectedJvmOptionFailsTheBuildWithTheJvmsOwnMessage() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> WorkerPool.builder().workers(2).jvmOptions("-XX:+NoSuchOptionAtAll").build())
                .isInstanceOf(PoolStartupException.class)
                .hasMessageContaining("before it said hello")
                .hasMessageContaining("exited with code 1")
                .hasMessageContaining("Unrecognized VM option 'NoSuchOptionAtAll'");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
        assertThat(Processes.childWorkers()).isEmpty();
    }

    @Test
    void aMissingJavaExecutableFailsTheBuild(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-java");
        assertThatThrownBy(() -> WorkerPool.builder().workers(1).javaExecutable(missing).build())
                .isInstanceOf(PoolStartupException.class)
                .hasMessageContaining("cannot start " + missing);
    }

    @Test
    void aClasspathWithoutTheWorkerFailsTheBuild(@TempDir Path dir) {
        assertThatThrownBy(() -> WorkerPool.builder().workers(1).classpath(List.of(dir.toString())).build())
                .isInstanceOf(PoolStartupException.class)
                .hasMessageContaining("io.forkpool.worker.WorkerMain");
        assertThat(Processes.childWorkers()).isEmpty();
    }

    @Test
    void aWorkerThatNeverSaysHelloIsKilledAtTheStartupTimeout() throws Exception {
        // A JVM that sleeps instead of running the worker: the classic hung start.
        long start = System.nanoTime();
        assertThatThrownBy(() -> WorkerPool.builder().workers(1).startupTimeout(Duration.ofSeconds(2))
                .jvmOptions("-Dforkpool.test=hang", "-XX:+UseSerialGC",
                        "-javaagent:" + Agents.sleepingAgentJar())
                .build())
                .isInstanceOf(PoolStartupException.class)
                .hasMessageContaining("did not say hello within PT2S");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
        assertThat(Processes.childWorkers()).isEmpty();
    }
}
