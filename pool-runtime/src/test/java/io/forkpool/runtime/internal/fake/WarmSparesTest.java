package io.forkpool.runtime.internal.fake;

import static io.forkpool.runtime.internal.fake.FakePool.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.ExitCause;
import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import io.forkpool.testsupport.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Warm spares, through the real supervisor over in-memory workers and a manual clock: a spare
 * takes a dead or retiring worker's place at once, is replaced behind it, is supervised like any
 * worker, and counts toward no task's attempts. The clock never moves unless a test says so, so a
 * result that arrives proves that nothing waited for a timer or a backoff.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WarmSparesTest {

    private static void awaitSpares(FakePool fake, int ready) throws InterruptedException {
        Await.until(ready + " spare(s) ready", Duration.ofSeconds(10), () -> fake.pool.stats().sparesReady() == ready);
    }

    @Test
    void aDeadWorkersTaskIsRetriedOnTheSpareAtOnceAndANewSpareBootsBehindIt() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.warmSpares(1).maxAttempts(2))) {
            awaitSpares(fake, 1);
            FakeWorker first = fake.spawner.get(0);
            FakeWorker spare = fake.spawner.get(1);
            assertThat(spare.slot).as("a spare's id runs on from the slots'").isEqualTo(1);

            // The first attempt halts its worker; the second runs on the spare, with the clock stopped.
            assertThat(await(fake.pool.submit(FakeTasks.HaltUntilAttempt.class, 2))).isEqualTo(2);

            assertThat(first.isAlive()).isFalse();
            WorkerStats slot = fake.pool.stats().workers().get(0);
            assertThat(slot.pid()).isEqualTo(spare.pid());
            assertThat(slot.state()).isEqualTo("READY");
            // The dead worker had answered nothing: its position's new spare boots after the backoff.
            fake.advanceUntil("a new spare spawned", () -> fake.spawner.all.size() == 3);
            FakeWorker next = fake.spawner.get(2);
            assertThat(next.slot).as("the new spare takes the spare's position").isEqualTo(1);
            awaitSpares(fake, 1);
            PoolStats stats = fake.pool.stats();
            assertThat(stats.retried()).isEqualTo(1);
            assertThat(stats.workerRestarts()).isEqualTo(1);
            assertThat(stats.workerExits().get(ExitCause.EXIT_CODE)).isEqualTo(1);
            assertThat(fake.spawner.all).hasSize(3);
        }
    }

    @Test
    void theSpareServesWhileTheDeadWorkersSessionIsKilledAndItsTaskWaitsForThat() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.warmSpares(1).maxAttempts(2))) {
            awaitSpares(fake, 1);
            FakeWorker first = fake.spawner.get(0);
            FakeWorker spare = fake.spawner.get(1);
            CountDownLatch leftovers = new CountDownLatch(1);
            first.leftoversGate = leftovers; // its session's leftovers take long to kill

            CompletableFuture<Integer> halting = fake.pool.submit(FakeTasks.HaltUntilAttempt.class, 2);
            Await.until("the spare placed", Duration.ofSeconds(10),
                    () -> fake.pool.stats().workers().get(0).pid() == spare.pid());
            assertThat(await(fake.pool.submit(FakeTasks.WorkerPid.class, "q"))).isEqualTo(spare.pid());
            assertThat(halting).as("its retry waits until the dead worker's leftovers are gone").isNotDone();
            assertThat(fake.pool.stats().workerExits().get(ExitCause.EXIT_CODE)).isZero();

            leftovers.countDown();
            assertThat(await(halting)).isEqualTo(2);
            assertThat(fake.pool.stats().retried()).isEqualTo(1);
        }
    }

    @Test
    void aRetiringWorkersSpareServesBeforeTheRetiringWorkerHasLeft() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.warmSpares(1).maxTasksPerWorker(1))) {
            awaitSpares(fake, 1);
            FakeWorker first = fake.spawner.get(0);
            FakeWorker spare = fake.spawner.get(1);
            first.stubborn = true; // lives on after SHUTDOWN until SIGTERM, which needs the clock

            assertThat(await(fake.pool.submit(FakeTasks.WorkerPid.class, "one"))).isEqualTo(first.pid());
            assertThat(await(fake.pool.submit(FakeTasks.WorkerPid.class, "two"))).isEqualTo(spare.pid());

            assertThat(first.isAlive()).as("the retired worker has not left yet").isTrue();
            fake.advance(Duration.ofSeconds(1));
            assertThat(first.signals).containsExactly("TERM");
        }
    }

    @Test
    void aSpareThatDiesIsReplacedAsASpareAndNoTaskIsTouched() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.warmSpares(1))) {
            awaitSpares(fake, 1);
            FakeWorker spare = fake.spawner.get(1);

            spare.halt(1, "a spare crashed");

            // A spare that did no work and died restarts after the backoff, as a worker would.
            fake.advanceUntil("a new spare spawned", () -> fake.spawner.all.size() == 3);
            assertThat(fake.spawner.get(2).slot).isEqualTo(1);
            awaitSpares(fake, 1);
            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "x"))).isEqualTo("x");
            PoolStats stats = fake.pool.stats();
            assertThat(stats.workers()).hasSize(1);
            assertThat(stats.workers().get(0).pid()).isEqualTo(fake.spawner.get(0).pid());
            assertThat(stats.workerRestarts()).as("only a slot's new worker is a restart").isZero();
            assertThat(stats.workerExits().get(ExitCause.EXIT_CODE)).isEqualTo(1);
            assertThat(stats.retried()).isZero();
        }
    }

    @Test
    void withNoIdleSpareADeadWorkerIsReplacedAsWithoutSpares() throws Exception {
        try (FakePool fake = FakePool.start(2, b -> b.warmSpares(1).maxAttempts(3))) {
            awaitSpares(fake, 1);
            FakeWorker spare = fake.spawner.get(2);
            // Two deaths in a row: the first takes the spare, the second finds none idle yet and
            // spawns its slot's own replacement.
            fake.spawner.get(0).halt(1, "first");
            Await.until("the spare adopted", Duration.ofSeconds(10),
                    () -> fake.pool.stats().workers().get(0).pid() == spare.pid());
            long second = fake.spawner.get(1).pid();
            fake.spawner.get(1).halt(1, "second");

            CompletableFuture<String> task = fake.pool.submit(FakeTasks.Echo.class, "y");
            assertThat(fake.awaitAdvancing(task)).isEqualTo("y");
            // Slot 1 served by a new worker, not by the dead one the pool had not yet seen die.
            fake.advanceUntil("both slots served", () -> fake.pool.stats().workers().get(1).pid() != second
                    && fake.pool.stats().workers().stream().allMatch(w -> w.state().equals("READY")));
            assertThat(fake.pool.stats().workerRestarts()).isEqualTo(2);
        }
    }

    @Test
    void aSpareThatBecomesReadyTakesTheSlotOfAWorkerWaitingForItsBackoff() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.warmSpares(1))) {
            awaitSpares(fake, 1);
            fake.spawner.get(1).halt(1, "the spare"); // did no work: a new spare boots after 50 ms
            awaitTimers(fake, 1);
            fake.advance(Duration.ofMillis(25));
            fake.spawner.get(0).halt(1, "the worker"); // no spare idle: its replacement boots at 75 ms
            awaitTimers(fake, 2);

            fake.advance(Duration.ofMillis(25)); // 50 ms: the new spare boots and takes slot 0 at once
            FakeWorker spare = fake.spawner.get(2);
            assertThat(spare.slot).isEqualTo(1);
            Await.until("the new spare in slot 0", Duration.ofSeconds(10),
                    () -> fake.pool.stats().workers().get(0).pid() == spare.pid());
            assertThat(await(fake.pool.submit(FakeTasks.WorkerPid.class, "z"))).isEqualTo(spare.pid());

            fake.advance(Duration.ofMillis(25)); // 75 ms: slot 0 has a worker; nothing boots for it
            assertThat(fake.spawner.all).hasSize(3);
            fake.advance(Duration.ofMillis(25)); // 100 ms: the spare position's new spare, after slot 0's backoff
            assertThat(fake.spawner.get(3).slot).isEqualTo(1);
            awaitSpares(fake, 1);
            assertThat(fake.pool.stats().workerRestarts()).isEqualTo(1);
        }
    }

    /** Waits until the supervisor has handled an exit: it set the timer of the position's next boot. */
    private static void awaitTimers(FakePool fake, int dueWithin50Millis) throws InterruptedException {
        Await.until(dueWithin50Millis + " restart timer(s)", Duration.ofSeconds(10),
                () -> fake.clock.pendingTimersDueWithin(Duration.ofMillis(50)) == dueWithin50Millis);
    }

    @Test
    void theNewSpareBootsOnceThePlacedSpareHasAnswered() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.warmSpares(1))) {
            awaitSpares(fake, 1);
            FakeWorker first = fake.spawner.get(0);
            FakeWorker spare = fake.spawner.get(1);
            assertThat(await(fake.pool.submit(FakeTasks.WorkerPid.class, "a"))).isEqualTo(first.pid()); // healthy

            first.halt(1, "crash");
            Await.until("the exit counted", Duration.ofSeconds(10),
                    () -> fake.pool.stats().workerExits().get(ExitCause.EXIT_CODE) == 1);
            fake.clock.settle(); // the exit is handled: what it booted at once is spawned by now
            assertThat(fake.pool.stats().workers().get(0).pid()).isEqualTo(spare.pid());
            assertThat(fake.spawner.all).as("nothing boots beside the spare's first task").hasSize(2);

            assertThat(await(fake.pool.submit(FakeTasks.WorkerPid.class, "b"))).isEqualTo(spare.pid());
            assertThat(fake.spawner.get(2).slot).isEqualTo(1);
            awaitSpares(fake, 1);
        }
    }

    @Test
    void withoutATaskTheNewSpareBootsASecondAfterThePlacement() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.warmSpares(1))) {
            awaitSpares(fake, 1);
            FakeWorker spare = fake.spawner.get(1);
            assertThat(await(fake.pool.submit(FakeTasks.WorkerPid.class, "a"))).isEqualTo(fake.spawner.get(0).pid());

            fake.spawner.get(0).halt(1, "crash");
            Await.until("the exit counted", Duration.ofSeconds(10),
                    () -> fake.pool.stats().workerExits().get(ExitCause.EXIT_CODE) == 1);
            fake.clock.settle(); // and handled
            assertThat(fake.pool.stats().workers().get(0).pid()).isEqualTo(spare.pid());
            fake.advance(Duration.ofMillis(999));
            assertThat(fake.spawner.all).hasSize(2);
            fake.advance(Duration.ofMillis(1));
            assertThat(fake.spawner.get(2).slot).isEqualTo(1);
        }
    }

    @Test
    void closingThePoolStopsItsSpares() throws Exception {
        FakeWorker spare;
        try (FakePool fake = FakePool.start(1, b -> b.warmSpares(1))) {
            awaitSpares(fake, 1);
            spare = fake.spawner.get(1);
        }
        assertThat(spare.isAlive()).isFalse();
        assertThat(spare.lifelineClosed).isTrue();
    }
}
