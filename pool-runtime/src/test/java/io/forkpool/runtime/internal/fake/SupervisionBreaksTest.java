package io.forkpool.runtime.internal.fake;

import static io.forkpool.runtime.internal.fake.FakePool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.ExitCause;
import io.forkpool.PoolStats;
import io.forkpool.WorkerCrashedException;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.internal.exec.PoolThread;
import io.forkpool.runtime.internal.lifecycle.FirstStart;
import io.forkpool.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The breaks found by trying the supervisor as an attacker would (issue: "nothing can stall it"),
 * each reproduced over in-memory workers and a manual clock.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SupervisionBreaksTest {

    private static final String BIG = "x".repeat(4 << 20); // far more than a pipe holds

    /** Runs closeNow() on a thread of its own; returns it so the test can move the clock while it runs. */
    private static Thread closing(FakePool fake) {
        Thread closer = new Thread(fake.pool::closeNow, "closer");
        closer.start();
        return closer;
    }

    @Test
    void closeEndsAWorkerThatStoppedReadingWhileAnInputWasBeingWrittenToIt() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxFrameLength(8 << 20))) {
            FakeWorker worker = fake.spawner.get(0);
            worker.freeze();
            CompletableFuture<String> big = fake.pool.submit(FakeTasks.Echo.class, BIG);
            worker.awaitBlockedWrite();

            Thread closer = closing(fake);
            awaitTrue(() -> worker.lifelineClosed); // the stop has begun
            fake.advance(Duration.ofSeconds(1)); // SHUTDOWN and the lifeline went unheard: SIGTERM
            assertThat(worker.signals).containsExactly("TERM");
            assertThat(closer.isAlive()).isTrue();
            // A stopped process ignores SIGTERM: SIGKILL a second later. The clock keeps moving
            // (the close's own bounded waits count in real time) until closeNow() returns.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (closer.isAlive() && System.nanoTime() < deadline) {
                try {
                    fake.advance(Duration.ofMillis(500));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    break; // the close shut the supervisor thread down: it is done
                }
                closer.join(10);
            }
            closer.join(5_000);

            assertThat(closer.isAlive()).as("closeNow() returned").isFalse();
            assertThat(worker.signals).containsExactly("TERM", "KILL");
            assertThatThrownBy(() -> await(big)).isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void aBlockedWriteToOneWorkerDelaysNothingForAnother() throws Exception {
        try (FakePool fake = FakePool.start(2, b -> b.maxFrameLength(8 << 20).maxAttempts(2))) {
            FakeWorker first = fake.spawner.get(0);
            FakeWorker second = fake.spawner.get(1);
            first.freeze();
            second.freeze();
            CompletableFuture<String> big = fake.pool.submit(FakeTasks.Echo.class, BIG);
            FakeWorker blocked = awaitEitherBlocked(first, second);
            FakeWorker other = blocked == first ? second : first;
            other.thaw();

            assertThat(big.cancel(true)).isTrue(); // its CANCEL queues behind the blocked write
            // The other worker dies under a task: that must be handled as if nothing else were wrong.
            CompletableFuture<Integer> retried = fake.pool.submit(FakeTasks.HaltUntilAttempt.class, 2);

            assertThat(fake.awaitAdvancing(retried)).isEqualTo(2);
            fake.clock.settle(); // fails if anything blocks the supervisor thread
            PoolStats stats = fake.pool.stats();
            assertThat(stats.retried()).isEqualTo(1);
            assertThat(stats.workerExits().get(ExitCause.EXIT_CODE)).isEqualTo(1);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(1); // polling a condition with a deadline
        }
    }

    private static FakeWorker awaitEitherBlocked(FakeWorker a, FakeWorker b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (a.supervisorBlockedInWrite()) {
                return a;
            }
            if (b.supervisorBlockedInWrite()) {
                return b;
            }
            Thread.sleep(1); // polling a condition with a deadline
        }
        throw new AssertionError("no write blocked");
    }

    @Test
    void aWorkerThatHoldsATaskAndGoesSilentIsProbedThenKilledAndItsTaskRetried() throws Exception {
        try (FakePool fake = FakePool.startProbing(1, b -> b.maxAttempts(2))) {
            FakeWorker mute = fake.spawner.get(0);
            CompletableFuture<String> task = fake.pool.submit(FakeTasks.AwaitGate.class, "mute");
            Gates.named("mute").awaitStarted();
            mute.mute(); // as a task that closed its worker's socket leaves it: alive, silent
            Gates.named("mute").release();

            assertThat(fake.awaitAdvancing(task)).isEqualTo("mute"); // on its replacement
            PoolStats stats = fake.pool.stats();
            assertThat(stats.workerExits().get(ExitCause.PROTOCOL_VIOLATION)).isEqualTo(1);
            assertThat(mute.signals).containsExactly("KILL");
            assertThat(stats.retried()).isEqualTo(1);
        }
    }

    @Test
    void aCrashIsChargedToTheTaskThatWasRunningNotToOnesThatHadFinished() throws Exception {
        for (int round = 0; round < 5; round++) {
            try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(1).tasksInFlightPerWorker(4))) {
                String gate = "hold-" + round;
                CompletableFuture<String> held = fake.pool.submit(FakeTasks.AwaitGate.class, gate);
                Gates.named(gate).awaitStarted();
                // Both go out behind the held task, so the worker runs them back to back.
                CompletableFuture<String> finished = fake.pool.submit(FakeTasks.Echo.class, "done");
                CompletableFuture<Integer> crasher = fake.pool.submit(FakeTasks.HaltUntilAttempt.class, 2);
                Gates.named(gate).release();

                assertThat(await(held)).isEqualTo(gate);
                assertThat(await(finished)).as("round " + round).isEqualTo("done");
                assertThatThrownBy(() -> fake.awaitAdvancing(crasher)).cause()
                        .isInstanceOfSatisfying(WorkerCrashedException.class, e -> assertThat(e.attempt()).isEqualTo(1));
                assertThat(fake.pool.stats().succeeded()).isEqualTo(2);
            }
        }
    }

    @Test
    void anOutsideKillDuringAWriteIsASignalDeathNotAProtocolViolation() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxFrameLength(8 << 20))) {
            FakeWorker worker = fake.spawner.get(0);
            worker.freeze();
            CompletableFuture<String> big = fake.pool.submit(FakeTasks.Echo.class, BIG);
            worker.awaitBlockedWrite();

            worker.signal(true); // kill -9 from outside: the write fails, then the exit is seen

            fake.awaitAdvancing(fake.pool.submit(FakeTasks.Echo.class, "after"));
            PoolStats stats = fake.pool.stats();
            assertThat(stats.workerExits().get(ExitCause.SIGNAL)).isEqualTo(1);
            assertThat(stats.workerExits().get(ExitCause.PROTOCOL_VIOLATION)).isZero();
            assertThat(fake.awaitAdvancing(big)).isEqualTo(BIG); // retried on the replacement
        }
    }

    @Test
    void aCallbackThatJoinsAnotherTaskOfTheSameWorkerDoesNotStallIt() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            CompletableFuture<String> a = fake.pool.submit(FakeTasks.AwaitGate.class, "a");
            CompletableFuture<String> b = fake.pool.submit(FakeTasks.AwaitGate.class, "b");
            CountDownLatch inCallback = new CountDownLatch(1);
            AtomicBoolean onPoolThread = new AtomicBoolean();
            CompletableFuture<String> chained = a.thenApply(x -> {
                onPoolThread.set(Thread.currentThread() instanceof PoolThread);
                inCallback.countDown();
                return x + b.join();
            });
            Gates.named("a").release();
            assertThat(inCallback.await(10, TimeUnit.SECONDS)).isTrue();
            Gates.named("b").release();

            assertThat(await(chained)).isEqualTo("ab");
            assertThat(onPoolThread).isFalse();
        }
    }

    @Test
    void aRetiringWorkerThatDoesNotLeaveIsTerminated() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxTasksPerWorker(1))) {
            FakeWorker first = fake.spawner.get(0);
            first.stubborn = true; // lives on after SHUTDOWN and its lifeline, as with a hung shutdown hook
            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "one"))).isEqualTo("one");
            FakeWorker replacement = fake.spawner.get(1);
            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "two"))).isEqualTo("two");

            fake.advance(Duration.ofSeconds(1));

            assertThat(first.signals).containsExactly("TERM");
            assertThat(first.isAlive()).isFalse();
            // The first, and its replacement after its one task; only the first needed a signal.
            // Each exit is counted by its worker's io thread once the process is gone.
            Await.until("both retirements counted", Duration.ofSeconds(10),
                    () -> fake.pool.stats().workerExits().getOrDefault(ExitCause.RETIRED, 0L) >= 2);
            assertThat(fake.pool.stats().workerExits().get(ExitCause.RETIRED)).isEqualTo(2);
        }
    }

    @Test
    void aSnapshotThatShowsAWorkerDeadAlsoCountsItsExit() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(30))) {
            AtomicReference<String> broken = new AtomicReference<>();
            AtomicBoolean done = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                while (!done.get()) {
                    PoolStats stats = fake.pool.stats();
                    long dead = stats.workers().stream().filter(w -> w.pid() == -1 || w.state().equals("DEAD")).count();
                    long exits = stats.workerExits().values().stream().mapToLong(Long::longValue).sum();
                    long shownGone = stats.workers().stream().map(WorkerStats::lastExitCause)
                            .filter(java.util.Optional::isPresent).count();
                    if ((dead > 0 || shownGone > 0) && exits == 0) {
                        broken.compareAndSet(null, stats.toString());
                    }
                }
            });
            reader.start();
            assertThat(fake.awaitAdvancing(fake.pool.submit(FakeTasks.HaltUntilAttempt.class, 20))).isEqualTo(20);
            done.set(true);
            reader.join();
            assertThat(broken.get()).as("a snapshot showed a dead worker with no exit counted").isNull();
        }
    }

    @Test
    void aTimedOutTaskThatStopsOnCancelLeavesItsWorkerAlive() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.taskTimeout(Duration.ofSeconds(30)))) {
            CompletableFuture<String> slow = fake.pool.submit(FakeTasks.AwaitGate.class, "slow");
            Gates.named("slow").awaitStarted();

            fake.advance(Duration.ofSeconds(30));

            assertThatThrownBy(() -> await(slow)).cause().isInstanceOf(io.forkpool.TaskTimeoutException.class);
            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "next"))).isEqualTo("next");
            fake.advance(Duration.ofSeconds(1));
            assertThat(fake.spawner.all).hasSize(1);
            assertThat(fake.pool.stats().timedOut()).isEqualTo(1);
        }
    }

    @Test
    void aTimedOutTaskThatIgnoresItsCancelCostsItsWorkerItsLife() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.taskTimeout(Duration.ofSeconds(30)))) {
            CompletableFuture<String> stubborn = fake.pool.submit(FakeTasks.AwaitGateStubbornly.class, "stubborn");
            Gates.named("stubborn").awaitStarted();

            fake.advance(Duration.ofSeconds(30));
            assertThatThrownBy(() -> await(stubborn)).cause().isInstanceOf(io.forkpool.TaskTimeoutException.class);
            fake.advance(Duration.ofMillis(500));

            assertThat(fake.awaitAdvancing(fake.pool.submit(FakeTasks.Echo.class, "next"))).isEqualTo("next");
            assertThat(fake.pool.stats().workerExits().get(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL)).isEqualTo(1);
            assertThat(fake.spawner.all).hasSize(2);
        }
    }

    @Test
    void aCancelledTaskIsCountedCancelledAndItsWorkerServesOn() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            CompletableFuture<String> task = fake.pool.submit(FakeTasks.AwaitGate.class, "cancel");
            Gates.named("cancel").awaitStarted();

            assertThat(task.cancel(true)).isTrue();

            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "next"))).isEqualTo("next");
            assertThat(fake.pool.stats().cancelled()).isEqualTo(1);
            assertThat(fake.spawner.all).hasSize(1);
        }
    }

    @Test
    void workersThatKeepDyingFailThePoolAndEverythingQueued() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(100).restartLimit(3, Duration.ofMinutes(1)))) {
            CompletableFuture<Integer> doomed = fake.pool.submit(FakeTasks.HaltUntilAttempt.class, 100);

            assertThatThrownBy(() -> fake.awaitAdvancing(doomed)).cause().isInstanceOf(io.forkpool.PoolFailedException.class);
            assertThatThrownBy(() -> fake.pool.submit(FakeTasks.Echo.class, "late"))
                    .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
                    .hasMessageContaining("failed");
            assertThat(fake.spawner.all).hasSize(4); // the first and three restarts
        }
    }

    @Test
    void aWorkerThatNeverSaysHelloFailsTheStartWithinItsTimeout() {
        FakeSpawner spawner = FakePool.spawner();
        spawner.connects = n -> false;
        assertThatThrownBy(() -> FakePool.start(1, spawner, b -> b.startupTimeout(Duration.ofMillis(200))))
                .isInstanceOf(io.forkpool.PoolStartupException.class).hasMessageContaining("did not say hello");
        assertThat(spawner.all).hasSize(1);
        assertThat(spawner.all.get(0).signals).containsExactly("KILL");
        assertThat(spawner.closed).isTrue();
    }

    @Test
    void workersStartAFewAtATimeEachAfterAnEarlierOneIsReady() throws Exception {
        int workers = FirstStart.concurrentStarts(1_000) + 3; // more than start at once here
        try (FakePool fake = FakePool.start(workers, b -> b)) {
            assertThat(fake.pool.stats().workers()).hasSize(workers)
                    .allMatch(w -> w.state().equals("READY"), "ready");
        }
        FakeSpawner spawner = FakePool.spawner();
        spawner.connects = n -> false; // none says hello: only the first round is ever started
        assertThatThrownBy(() -> FakePool.start(workers, spawner, b -> b.startupTimeout(Duration.ofMillis(200))))
                .isInstanceOf(io.forkpool.PoolStartupException.class).hasMessageContaining("did not say hello");
        assertThat(spawner.all).hasSize(FirstStart.concurrentStarts(workers));
    }
}
