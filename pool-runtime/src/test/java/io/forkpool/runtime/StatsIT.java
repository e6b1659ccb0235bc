package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskOptions;
import io.forkpool.TaskTimeoutException;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.tasks.CrashUntilAttempt;
import io.forkpool.runtime.tasks.Echo;
import io.forkpool.runtime.tasks.Fail;
import io.forkpool.runtime.tasks.HoldAtGate;
import io.forkpool.runtime.tasks.Pid;
import io.forkpool.runtime.tasks.Probe;
import io.forkpool.runtime.tasks.Spin;
import io.forkpool.testsupport.Gate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WorkerPool#stats()} after a scripted run with one of everything: successes, a crash and
 * its retry, a task failure, a timeout that costs the worker its life, a cancellation and a batch.
 * Every counter is asserted exactly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatsIT {

    private static final int BATCH = 100;

    @Test
    void everyCounterIsExactAfterACrashARetryATimeoutAFailureAndACancellation(@TempDir Path dir) throws Exception {
        PoolStats stats;
        WorkerPool pool = WorkerPool.builder().name("stats").workers(1).maxAttempts(3).build();
        try {
            long firstPid = pool.stats().workers().get(0).pid();
            for (int i = 0; i < 10; i++) {
                assertThat(pool.submit(Echo.class, "e" + i).get(30, TimeUnit.SECONDS)).isEqualTo("e" + i);
            }
            // A crash (Runtime.halt(99)) on attempt 1, and a retry that succeeds on attempt 2.
            assertThat(pool.submit(CrashUntilAttempt.class, 2).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            long secondPid = WorkerFailureIT.awaitNewPid(pool, 0, firstPid);
            assertThat(pool.stats().workers().get(0).lastExitCause()).contains(ExitCause.EXIT_CODE);

            assertThat(failure(pool.submit(Fail.class, "no"))).isInstanceOf(TaskFailedException.class);

            // A timeout the task ignores: its worker is killed and replaced.
            TaskOptions halfSecond = TaskOptions.builder().timeout(Duration.ofMillis(500)).build();
            assertThat(failure(pool.submit(Spin.class, -1L, halfSecond))).isInstanceOf(TaskTimeoutException.class);
            long thirdPid = WorkerFailureIT.awaitNewPid(pool, 0, secondPid);

            // A cancellation of a running task that honours the interrupt: its worker stays.
            Gate gate = Gate.create(dir.resolve("gate")); // never released: the cancellation ends the wait
            long submitted = System.nanoTime();
            CompletableFuture<Long> sleeping = pool.submit(HoldAtGate.class, gate.path());
            gate.awaitStarted(Duration.ofSeconds(30));
            holdUntil(submitted + TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(sleeping.cancel(true)).isTrue();
            assertThatThrownBy(sleeping::join).isInstanceOf(CancellationException.class);

            List<long[]> outputs = pool.invokeAll(Probe.class, LongStream.range(0, BATCH).boxed().toList());
            assertThat(outputs).hasSize(BATCH);

            // Answered by a worker: 10 echoes, the retry, the failure, the cancelled sleep (it
            // answers once interrupted), the batch. Not the crashed attempt, not the timed-out spin.
            long answered = 10 + 1 + 1 + 1 + BATCH;
            stats = awaitAnswered(pool, answered);

            assertThat(stats.name()).isEqualTo("stats");
            assertThat(stats.submitted()).isEqualTo(10 + 1 + 1 + 1 + 1 + BATCH);
            assertThat(stats.succeeded()).isEqualTo(10 + 1 + BATCH);
            assertThat(stats.failed()).isEqualTo(1);
            assertThat(stats.timedOut()).isEqualTo(1);
            assertThat(stats.cancelled()).isEqualTo(1);
            assertThat(stats.completed()).isEqualTo(stats.submitted());
            assertThat(stats.retried()).isEqualTo(1);
            assertThat(stats.workerExits()).isEqualTo(exits(Map.of(ExitCause.EXIT_CODE, 1L,
                    ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL, 1L)));
            assertThat(stats.crashes()).isEqualTo(1);
            assertThat(stats.workerRestarts()).isEqualTo(2);
            assertThat(stats.queued()).isZero();
            assertThat(stats.workersAlive()).isEqualTo(1);

            WorkerStats worker = stats.workers().get(0);
            assertThat(worker.workerId()).isZero();
            assertThat(worker.pid()).isEqualTo(thirdPid);
            assertThat(worker.state()).isEqualTo("READY");
            assertThat(worker.restarts()).isEqualTo(2);
            assertThat(worker.tasksCompleted()).isEqualTo(answered);
            assertThat(worker.lastExitCause()).contains(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL);
            assertThat(worker.uptime()).isPositive();
            assertThat(worker.heapUsedBytes()).isPositive();

            for (LatencyStats latency : List.of(stats.queueWait(), stats.execution(), stats.roundTrip())) {
                assertThat(latency.count()).isEqualTo(answered);
                assertThat(latency.maxNanos()).isPositive();
            }
            // The cancelled task was answered after at least the 0.1 s it was held running.
            assertThat(stats.roundTrip().maxNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(stats.roundTrip().p50Nanos()).isGreaterThanOrEqualTo(stats.queueWait().p50Nanos());
            assertThat(stats.workerExits().get(ExitCause.STOPPED)).isZero();
        } finally {
            pool.close();
        }
        // Closing stops the one live worker; everything else stays as it was.
        PoolStats closed = pool.stats();
        assertThat(closed.workerExits().get(ExitCause.STOPPED)).isEqualTo(1);
        assertThat(closed.workersAlive()).isZero();
        assertThat(closed.completed()).isEqualTo(stats.completed());
        assertThat(closed.roundTrip()).isEqualTo(stats.roundTrip());
    }

    @Test
    void aClosedPoolReportsItsStoppedWorkersAndNoLatenciesWhenRecordingIsOff() throws Exception {
        WorkerPool pool = WorkerPool.builder().name("unrecorded").workers(2).recordLatencies(false).build();
        try {
            assertThat(pool.invokeAll(Echo.class, List.of("a", "b", "c"))).containsExactly("a", "b", "c");
        } finally {
            pool.close();
        }
        PoolStats stats = pool.stats();
        assertThat(stats.succeeded()).isEqualTo(3);
        assertThat(stats.workerExits().get(ExitCause.STOPPED)).isEqualTo(2);
        assertThat(stats.crashes()).isZero();
        assertThat(stats.workersAlive()).isZero();
        assertThat(stats.workers()).allSatisfy(w -> {
            assertThat(w.pid()).isEqualTo(-1);
            assertThat(w.uptime()).isZero();
            assertThat(w.lastExitCause()).isEqualTo(Optional.of(ExitCause.STOPPED));
        });
        assertThat(List.of(stats.queueWait(), stats.execution(), stats.roundTrip())).containsOnly(LatencyStats.EMPTY);
    }

    @Test
    void aTaskIsCountedBeforeItsFutureCompletes() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().name("counted").workers(2).build()) {
            for (int i = 1; i <= 500; i++) {
                assertThat(pool.submit(Echo.class, "x").join()).isEqualTo("x");
                assertThat(pool.stats().succeeded()).as("after task %d", i).isEqualTo(i); // no waiting
            }
            CompletableFuture<Long> sleeping = pool.submit(Pid.class, 30_000);
            assertThat(sleeping.cancel(true)).isTrue();
            assertThat(pool.stats().cancelled()).isEqualTo(1);
            assertThat(pool.submit(Fail.class, "no").handle((output, error) -> pool.stats().failed()).join())
                    .isEqualTo(1);
            // A failing batch: once its caller sees the failure, every input is counted somewhere.
            List<Long> inputs = LongStream.range(0, 10_000).map(i -> i == 5_000 ? -3 : i).boxed().toList();
            assertThatThrownBy(() -> pool.invokeAll(Probe.class, inputs)).isInstanceOf(TaskFailedException.class);
            PoolStats stats = pool.stats();
            assertThat(stats.completed()).isEqualTo(stats.submitted()).isEqualTo(500 + 1 + 1 + 10_000);
            assertThat(stats.failed()).isEqualTo(2);
        }
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> future.get(60, TimeUnit.SECONDS)).getCause();
    }

    private static Map<ExitCause, Long> exits(Map<ExitCause, Long> nonZero) {
        Map<ExitCause, Long> all = new EnumMap<>(ExitCause.class);
        for (ExitCause cause : ExitCause.values()) {
            all.put(cause, nonZero.getOrDefault(cause, 0L));
        }
        return all;
    }

    /**
     * Keeps a task that is known to run (it arrived at its gate) running until {@code nanoTime}:
     * a deliberate stimulus, not a guess, so that one round trip is known to take at least that long.
     */
    private static void holdUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        }
    }

    /** The last reply may be read a moment after its future completed; wait for it to be counted. */
    private static PoolStats awaitAnswered(WorkerPool pool, long answered) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        PoolStats stats = pool.stats();
        while (stats.workers().get(0).tasksCompleted() < answered && System.nanoTime() < deadline) {
            Thread.sleep(10); // polls for the count, within the deadline
            stats = pool.stats();
        }
        return stats;
    }
}
