package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.ExitCause;
import io.forkpool.PoisonTaskException;
import io.forkpool.PoolFailedException;
import io.forkpool.PoolStartupException;
import io.forkpool.TaskOptions;
import io.forkpool.WorkerCrashedException;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import io.forkpool.runtime.tasks.AllocateUntilOom;
import io.forkpool.runtime.tasks.CrashUntilAttempt;
import io.forkpool.runtime.tasks.Halt;
import io.forkpool.runtime.tasks.HoldAtGate;
import io.forkpool.runtime.tasks.Pid;
import io.forkpool.testsupport.Await;
import io.forkpool.testsupport.Gate;
import io.forkpool.testsupport.Processes;
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

/** Workers that die, tasks that kill them, and workers that cannot start: real processes, real signals. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerFailureIT {

    private static WorkerCrashedException crashOf(CompletableFuture<?> future) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> future.get(60, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(WorkerCrashedException.class);
        return (WorkerCrashedException) e.getCause();
    }

    private static final TaskOptions ONE_ATTEMPT = TaskOptions.builder().maxAttempts(1).build();
    /** How long held tasks may take to arrive at their gate: generous, the machine may be busy. */
    private static final Duration STARTED = Duration.ofSeconds(30);

    static long awaitNewPid(WorkerPool pool, int slot, long oldPid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            WorkerStats stats = pool.stats().workers().get(slot);
            if (stats.pid() > 0 && stats.pid() != oldPid && stats.state().equals("READY")) {
                return stats.pid();
            }
            Thread.sleep(10); // polls for the replacement, within the deadline
        }
        throw new AssertionError("worker " + slot + " was not replaced: " + pool.stats());
    }

    @Test
    void aWorkerThatHaltsFailsItsTaskWithExitCodeAndOutputThenIsReplaced() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).build()) {
            long pid = pool.stats().workers().get(0).pid();
            pool.submit(Pid.class, 0).get(); // so the crash report counts one task served
            WorkerCrashedException crash = crashOf(pool.submit(Halt.class, 42, ONE_ATTEMPT));
            assertThat(crash.workerPid()).isEqualTo(pid);
            assertThat(crash.workerId()).isZero();
            assertThat(crash.attempt()).isEqualTo(1);
            assertThat(crash.exitCode()).hasValue(42);
            assertThat(crash.exitCause()).isEqualTo(ExitCause.EXIT_CODE);
            assertThat(crash.exitDescription()).isEqualTo("exited with code 42");
            assertThat(crash.tasksServed()).isEqualTo(1);
            assertThat(crash.uptimeMillis()).isPositive();
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
    void withOneAttemptASigkilledWorkerFailsOnlyTheTaskItWasRunning(@TempDir Path dir) throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(2).maxAttempts(1).build()) {
            long victim = pool.stats().workers().get(0).pid();
            Gate gate = Gate.create(dir.resolve("gate"));
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(pool.submit(HoldAtGate.class, gate.path()));
            }
            // Both workers are in their first task, held at the gate, each holding a second
            // unstarted, so the victim answers nothing: every output must name another worker.
            // The gate opens only once the victim is gone. (With 300 ms sleeps instead of a gate the
            // victim answered one before the kill; that this test used to pass then was the worker
            // holding that reply back behind the next task, a bug fixed since.)
            gate.awaitStarted(2, STARTED);
            assertThat(ProcessHandle.of(victim).orElseThrow().destroyForcibly()).isTrue();
            Processes.assertAllGone(List.of(victim), STARTED);
            gate.release();

            List<WorkerCrashedException> crashes = new ArrayList<>();
            for (CompletableFuture<Long> future : futures) {
                try {
                    assertThat(future.get(60, TimeUnit.SECONDS)).isNotEqualTo(victim);
                } catch (ExecutionException e) {
                    crashes.add((WorkerCrashedException) e.getCause());
                }
            }
            // Only the running task is charged; the one the victim held unstarted ran elsewhere.
            assertThat(crashes).singleElement().satisfies(crash -> {
                assertThat(crash.workerPid()).isEqualTo(victim);
                assertThat(crash.exitCode()).hasValue(137);
                assertThat(crash.exitCause()).isEqualTo(ExitCause.SIGNAL);
                assertThat(crash.exitDescription()).contains("SIGKILL");
            });
            awaitNewPid(pool, 0, victim);
            assertThat(pool.submit(CountPrimes.class, new Range(0, 10_000)).get()).isEqualTo(1_229L);
        }
    }

    @Test
    void aTaskWhoseWorkerWasSigkilledIsRetriedOnAnotherWorker(@TempDir Path dir) throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(2).build()) {
            long victim = pool.stats().workers().get(0).pid();
            Gate gate = Gate.create(dir.resolve("gate"));
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(HoldAtGate.class, gate.path()));
            }
            // Both workers run a task, held at the gate, when the victim is killed; the gate opens
            // once it is gone.
            gate.awaitStarted(2, STARTED);
            assertThat(ProcessHandle.of(victim).orElseThrow().destroyForcibly()).isTrue();
            Processes.assertAllGone(List.of(victim), STARTED);
            gate.release();
            for (CompletableFuture<Long> future : futures) {
                assertThat(future.get(60, TimeUnit.SECONDS)).isPositive();
            }
            assertThat(pool.stats().succeeded()).isEqualTo(20);
            // Held tasks answer at once when released, maybe before the replacement was started.
            Await.until("the victim's replacement", STARTED, () -> pool.stats().workerRestarts() >= 1);
            assertThat(pool.stats().workerRestarts()).isEqualTo(1);
        }
    }

    @Test
    void aTaskIsRetriedUntilItsAttemptSucceedsAndSeesItsAttemptNumber() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(2).build()) {
            assertThat(pool.submit(CrashUntilAttempt.class, 3).get(60, TimeUnit.SECONDS)).isEqualTo(3);
            // The second crashed worker's replacement may be started just after the third attempt
            // answered, on the supervisor thread: wait for it.
            Await.until("two replacements", STARTED, () -> pool.stats().workerRestarts() >= 2);
            assertThat(pool.stats().workerRestarts()).isEqualTo(2);
            assertThat(pool.submit(CrashUntilAttempt.class, 1).get()).isEqualTo(1);
        }
    }

    @Test
    void aPoisonTaskFailsAfterExactlyItsAttemptsWhileHealthyTasksPass() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(2).build()) {
            CompletableFuture<Void> poison = pool.submit(Halt.class, 13);
            List<CompletableFuture<Long>> healthy = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                healthy.add(pool.submit(Pid.class, 5));
            }
            ExecutionException thrown = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> poison.get(90, TimeUnit.SECONDS));
            PoisonTaskException poisoned = (PoisonTaskException) thrown.getCause();
            assertThat(poisoned.attempts()).hasSize(3);
            assertThat(poisoned.attempts()).extracting(WorkerCrashedException::attempt).containsExactly(1, 2, 3);
            assertThat(poisoned.attempts()).extracting(WorkerCrashedException::workerPid).doesNotHaveDuplicates();
            assertThat(poisoned.attempts()).allSatisfy(crash -> {
                assertThat(crash.exitCode()).hasValue(13);
                assertThat(crash.outputTail()).contains("about to halt with 13");
            });
            assertThat(poisoned.getMessage()).startsWith("poison task: task ").contains("on each of its 3 attempts")
                    .contains("attempt 3: worker").contains("about to halt with 13");
            for (CompletableFuture<Long> future : healthy) {
                assertThat(future.get(60, TimeUnit.SECONDS)).isPositive();
            }
            // The third replacement is started just after the poison future completes, on the
            // supervisor thread: wait for it, then check there was no fourth.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pool.stats().workerRestarts() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polls for the restart, within the deadline
            }
            assertThat(pool.stats().workerRestarts()).isEqualTo(3);
        }
    }

    @Test
    void aTaskThatRunsOutOfMemoryIsReportedAsSuchAndThePoolServesOn() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).jvmOptions("-Xmx48m", "-XX:+UseSerialGC").build()) {
            WorkerCrashedException crash = crashOf(pool.submit(AllocateUntilOom.class, null, ONE_ATTEMPT));
            assertThat(crash.exitCause()).isEqualTo(ExitCause.OUT_OF_MEMORY);
            assertThat(crash.exitCode()).hasValue(3);
            assertThat(crash.exitDescription()).isEqualTo("exited with code 3 (out of memory: -XX:+ExitOnOutOfMemoryError)");
            assertThat(crash.outputTail()).contains("Terminating due to java.lang.OutOfMemoryError");
            assertThat(pool.submit(CountPrimes.class, new Range(0, 10_000)).get(60, TimeUnit.SECONDS)).isEqualTo(1_229L);
        }
    }

    @Test
    void aWorkerThatCallsSystemExitIsReportedWithItsCode() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).build()) {
            WorkerCrashedException crash = crashOf(pool.submit(io.forkpool.runtime.tasks.Exit.class, 7, ONE_ATTEMPT));
            assertThat(crash.exitCode()).hasValue(7);
            assertThat(crash.exitCause()).isEqualTo(ExitCause.EXIT_CODE);
            // 3 is also what -XX:+ExitOnOutOfMemoryError exits with: without the JVM's line, no out of memory
            WorkerCrashedException three = crashOf(pool.submit(io.forkpool.runtime.tasks.Exit.class, 3, ONE_ATTEMPT));
            assertThat(three.exitCode()).hasValue(3);
            assertThat(three.exitCause()).isEqualTo(ExitCause.EXIT_CODE);
            assertThat(three.exitDescription()).isEqualTo("exited with code 3");
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
                .hasMessageContaining("cannot start worker 0: cannot run " + missing + ": no executable file at " + missing);
    }

    @Test
    void aClasspathWithoutTheWorkerFailsTheBuild(@TempDir Path dir) {
        assertThatThrownBy(() -> WorkerPool.builder().workers(1).classpath(List.of(dir.toString())).build())
                .isInstanceOf(PoolStartupException.class)
                .hasMessageContaining("io.forkpool.worker.WorkerMain");
        assertThat(Processes.childWorkers()).isEmpty();
    }

    @Test
    void workersThatDieAtBootAfterTheStartAreRestartedABoundedNumberOfTimesThenThePoolFails(@TempDir Path dir)
            throws Exception {
        Path failBoot = dir.resolve("fail-boot");
        try (WorkerPool pool = WorkerPool.builder().workers(1)
                .jvmOptions("-javaagent:" + Agents.failingAgentJar(), "-Dforkpool.test.failBoot=" + failBoot)
                .build()) {
            long pid = pool.stats().workers().get(0).pid();
            java.nio.file.Files.writeString(failBoot, "from now on every new worker exits at boot");
            Gate gate = Gate.create(dir.resolve("gate")); // never released: the kill ends the task
            CompletableFuture<Long> running = pool.submit(HoldAtGate.class, gate.path(), ONE_ATTEMPT);
            gate.awaitStarted(STARTED);
            // Held by the worker but not started: re-queued when it dies, then failed with the pool.
            CompletableFuture<Long> waiting = pool.submit(Pid.class, 0, ONE_ATTEMPT);
            Await.until("the worker holds the waiting task", STARTED, () -> pool.stats().queued() == 0);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            ExecutionException thrown = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> waiting.get(60, TimeUnit.SECONDS));
            assertThat(thrown.getCause()).isInstanceOf(PoolFailedException.class)
                    .hasMessageContaining("5 workers in a row died before they were ready")
                    .hasMessageContaining("exited with code 86")
                    .hasMessageContaining("agent refuses to boot");
            assertThat(crashOf(running).exitCause()).isEqualTo(ExitCause.SIGNAL);
            // The first worker plus exactly five failed replacements: bounded, no fork loop.
            assertThat(pool.stats().workers().get(0).restarts()).isEqualTo(5);
            assertThatThrownBy(() -> pool.submit(Pid.class, 0))
                    .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
                    .hasMessageContaining("failed")
                    .hasCauseInstanceOf(PoolFailedException.class);
        }
        assertThat(Processes.childWorkers()).isEmpty();
    }

    @Test
    void moreRestartsThanTheLimitWithinTheWindowFailThePool() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).restartLimit(2, Duration.ofMinutes(5)).build()) {
            for (int i = 0; i < 2; i++) {
                long pid = pool.stats().workers().get(0).pid();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                awaitNewPid(pool, 0, pid);
            }
            CompletableFuture<Long> pending = pool.submit(Pid.class, 60_000, ONE_ATTEMPT);
            CompletableFuture<Long> queued = pool.submit(Pid.class, 0);
            ProcessHandle.of(pool.stats().workers().get(0).pid()).orElseThrow().destroyForcibly();
            assertThatThrownBy(() -> queued.get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PoolFailedException.class)
                    .hasMessageContaining("more than 2 worker restarts within PT5M");
            assertThat(pending).isCompletedExceptionally();
        }
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
