package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.TaskOptions;
import io.forkpool.TaskTimeoutException;
import io.forkpool.WorkerPool;
import io.forkpool.runtime.tasks.HoldAtGate;
import io.forkpool.runtime.tasks.Pid;
import io.forkpool.runtime.tasks.Spin;
import io.forkpool.runtime.tasks.SpinAtGate;
import io.forkpool.testsupport.Await;
import io.forkpool.testsupport.Gate;
import io.forkpool.testsupport.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts, cancellation and closing around tasks that do not want to stop. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TimeoutAndCancelIT {

    private static final TaskOptions HALF_SECOND = TaskOptions.builder().timeout(Duration.ofMillis(500)).build();
    /** How long a held task may take to arrive at its gate: generous, the machine may be busy. */
    private static final Duration STARTED = Duration.ofSeconds(30);

    private static Throwable causeOf(CompletableFuture<?> future) {
        return org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> future.get(60, TimeUnit.SECONDS)).getCause();
    }

    /** Submits a task that waits at a gate never released, honouring the interrupt, and waits until it runs. */
    private static CompletableFuture<Long> heldUntilCancelled(WorkerPool pool, Path dir) throws Exception {
        Gate gate = Gate.create(dir.resolve("gate")); // never released: only the cancellation ends the wait
        CompletableFuture<Long> held = pool.submit(HoldAtGate.class, gate.path());
        gate.awaitStarted(STARTED);
        return held;
    }

    @Test
    void aTaskThatHonoursTheInterruptTimesOutWithoutCostingItsWorker() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).build()) {
            long pid = pool.stats().workers().get(0).pid();
            Throwable timeout = causeOf(pool.submit(Pid.class, 30_000, HALF_SECOND));
            assertThat(timeout).isInstanceOfSatisfying(TaskTimeoutException.class, e -> {
                assertThat(e.timeout()).isEqualTo(Duration.ofMillis(500));
                assertThat(e.workerPid()).isEqualTo(pid);
                assertThat(e.getMessage()).contains("timed out after PT0.5S on worker 0 (pid " + pid + ")");
            });
            assertThat(pool.submit(Pid.class, 0).get(30, TimeUnit.SECONDS)).isEqualTo(pid);
            assertThat(pool.stats().workerRestarts()).isZero();
        }
    }

    @Test
    void aTaskThatIgnoresTheInterruptHasItsWorkerKilledAndIsNotRunAgain(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        try (WorkerPool pool = WorkerPool.builder().workers(1).taskTimeout(Duration.ofMillis(500))
                .jvmOptions("-Dforkpool.test.runs=" + runs).build()) {
            long pid = pool.stats().workers().get(0).pid();
            long start = System.nanoTime();
            assertThat(causeOf(pool.submit(Spin.class, -1L))).isInstanceOf(TaskTimeoutException.class);
            long pidAfter = WorkerFailureIT.awaitNewPid(pool, 0, pid);
            System.out.println("timeout 500 ms -> replacement ready after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            assertThat(Processes.alive(pid)).isFalse();
            assertThat(pool.submit(Pid.class, 0).get(30, TimeUnit.SECONDS)).isEqualTo(pidAfter);
            assertThat(Files.readAllLines(runs)).hasSize(1); // a timed-out task is not re-run
        }
    }

    @Test
    void cancellingARunningTaskUsesTheSamePath(@TempDir Path dir) throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).build()) {
            long pid = pool.stats().workers().get(0).pid();
            Gate gate = Gate.create(dir.resolve("gate")); // never released: only the kill ends the spin
            CompletableFuture<Long> spinning = pool.submit(SpinAtGate.class, gate.path());
            CompletableFuture<Long> next = pool.submit(Pid.class, 0);
            gate.awaitStarted(STARTED);
            assertThat(spinning.cancel(true)).isTrue();
            assertThatThrownBy(spinning::get).isInstanceOf(CancellationException.class);
            long replacement = next.get(30, TimeUnit.SECONDS); // re-queued free, ran on the replacement
            assertThat(replacement).isNotEqualTo(pid);
            assertThat(Processes.alive(pid)).isFalse();
        }
    }

    @Test
    void aCallerWhoseInterruptFlagIsSetCanCancelWithoutHarmingTheWorker(@TempDir Path dir) throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).build()) {
            long pid = pool.stats().workers().get(0).pid();
            CompletableFuture<Long> sleeping = heldUntilCancelled(pool, dir);
            // The usual "restore the flag, then clean up" pattern: the cancellation must not reach
            // the worker's socket from this thread, where NIO would close the channel at once.
            Thread.currentThread().interrupt();
            try {
                assertThat(sleeping.cancel(true)).isTrue();
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
            assertThat(pool.submit(Pid.class, 0).get(30, TimeUnit.SECONDS)).isEqualTo(pid);
            assertThat(pool.stats().workerRestarts()).isZero();
        }
    }

    @Test
    void anOrTimeoutFromOutsideStopsTheTaskAndFreesItsWorker(@TempDir Path dir) throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).build()) {
            long pid = pool.stats().workers().get(0).pid();
            CompletableFuture<Long> held = heldUntilCancelled(pool, dir);

            held.orTimeout(100, TimeUnit.MILLISECONDS);

            assertThat(causeOf(held)).isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(pool.submit(Pid.class, 0).get(30, TimeUnit.SECONDS)).isEqualTo(pid); // the same worker, freed
            assertThat(pool.stats().cancelled()).isEqualTo(1);
            assertThat(pool.stats().failed()).isZero();
            assertThat(pool.stats().workerRestarts()).isZero();
        }
    }

    @Test
    void cancellingAQueuedTaskNeverRunsIt(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        try (WorkerPool pool = WorkerPool.builder().workers(1).jvmOptions("-Dforkpool.test.runs=" + runs).build()) {
            Gate gate = Gate.create(dir.resolve("gate"));
            CompletableFuture<Long> first = pool.submit(SpinAtGate.class, gate.path()); // runs until released
            CompletableFuture<Long> second = pool.submit(Spin.class, 300L); // held by the worker, not started
            CompletableFuture<Long> third = pool.submit(Spin.class, 300L);  // still in the pool's queue
            gate.awaitStarted(STARTED);
            Await.until("the worker holds the second task, the third is queued", STARTED,
                    () -> pool.stats().queued() == 1);
            second.cancel(true);
            third.cancel(true);
            // A margin, not a guess that something started: the CANCEL for the second task must
            // reach the worker while the first runs, and nothing shows that it did (a Java worker
            // answers a cancelled waiting task only when its turn comes, after the first).
            Thread.sleep(300);
            gate.release();
            assertThat(first.get(30, TimeUnit.SECONDS)).isPositive();
            assertThat(pool.submit(Pid.class, 0).get(30, TimeUnit.SECONDS)).isPositive();
            assertThat(Files.readAllLines(runs)).hasSize(1);
            assertThat(pool.stats().workerRestarts()).isZero();
        }
    }

    @Test
    void closeWithAHungInterruptIgnoringTaskFinishesWithinItsBound(@TempDir Path dir) throws Exception {
        WorkerPool pool = WorkerPool.builder().workers(1).closeTimeout(Duration.ofSeconds(1)).build();
        long pid = pool.stats().workers().get(0).pid();
        Gate gate = Gate.create(dir.resolve("gate")); // never released: the task hangs until its worker is killed
        CompletableFuture<Long> hung = pool.submit(SpinAtGate.class, gate.path());
        gate.awaitStarted(STARTED);
        long start = System.nanoTime();
        pool.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("close() with a hung task took " + millis + " ms (close timeout 1 s + stop escalation)");
        assertThat(millis).isLessThan(10_000);
        assertThatThrownBy(hung::get).isInstanceOf(CancellationException.class);
        assertThat(Processes.alive(pid)).isFalse();
    }

    @Test
    void anIdlePoolClosesQuickly() throws Exception {
        WorkerPool pool = WorkerPool.builder().workers(2).build();
        pool.submit(Pid.class, 0).get();
        long start = System.nanoTime();
        pool.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("idle pool of 2 closed in " + millis + " ms");
        assertThat(millis).isLessThan(2_000); // the target is 200 ms; generous headroom for CI
    }
}
