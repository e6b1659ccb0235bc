package io.forkpool.runtime.internal.fake;

import static io.forkpool.runtime.internal.fake.FakePool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.ExitCause;
import io.forkpool.PoisonTaskException;
import io.forkpool.PoolStats;
import io.forkpool.WorkerCrashedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Retry, poison and split of crashed tasks, through the real supervisor over in-memory workers. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RetryAndPoisonTest {

    @Test
    void aTaskWhoseWorkerDiesUnderItIsRetriedOnAFreshWorkerWithItsNextAttempt() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(3))) {
            assertThat(fake.awaitAdvancing(fake.pool.submit(FakeTasks.HaltUntilAttempt.class, 3))).isEqualTo(3);

            PoolStats stats = fake.pool.stats();
            assertThat(stats.retried()).isEqualTo(2);
            assertThat(stats.workerExits().get(ExitCause.EXIT_CODE)).isEqualTo(2);
            assertThat(stats.succeeded()).isEqualTo(1);
            assertThat(fake.spawner.all).hasSize(3);
        }
    }

    /**
     * A charged retry waits at the tail: the next worker runs what was queued before it first, so
     * a second death, of a worker the retry never reached, charges the task that was running then,
     * not the retried one again.
     */
    @Test
    void aRetriedTaskGoesToTheTailSoTheNextWorkersDeathChargesTheTaskItRan() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(5).tasksInFlightPerWorker(1))) {
            CompletableFuture<Integer> first = fake.pool.submit(FakeTasks.AttemptAtGate.class, "first");
            CompletableFuture<Integer> second = fake.pool.submit(FakeTasks.AttemptAtGate.class, "second");
            Gates.named("first").awaitStarted();
            fake.spawner.get(0).halt(137, "killed under the first task");

            fake.advanceUntil("a second worker", () -> fake.spawner.all.size() == 2);
            Gates.named("second").awaitStarted(); // the next worker runs the task queued before the retry
            fake.spawner.get(1).halt(137, "killed under the second task");

            fake.advanceUntil("a third worker", () -> fake.spawner.all.size() == 3);
            Gates.named("first").release();
            Gates.named("second").release();
            assertThat(fake.awaitAdvancing(first)).as("charged for its own worker only").isEqualTo(2);
            assertThat(fake.awaitAdvancing(second)).isEqualTo(2);
            assertThat(fake.pool.stats().retried()).isEqualTo(2);
        }
    }

    @Test
    void aTaskThatKillsEveryWorkerItRunsOnFailsAsPoisonWithEachAttemptsCrash() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(3))) {
            CompletableFuture<Integer> poison = fake.pool.submit(FakeTasks.HaltUntilAttempt.class, 100);

            assertThatThrownBy(() -> fake.awaitAdvancing(poison)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(PoisonTaskException.class, e -> {
                        assertThat(e.attempts()).hasSize(3);
                        assertThat(e.attempts()).extracting(WorkerCrashedException::attempt).containsExactly(1, 2, 3);
                        assertThat(e.attempts()).allSatisfy(crash -> {
                            assertThat(crash.exitCode()).hasValue(99);
                            assertThat(crash.exitCause()).isEqualTo(ExitCause.EXIT_CODE);
                            assertThat(crash.outputTail()).contains("halting on attempt " + crash.attempt());
                        });
                    });
            assertThat(fake.pool.stats().failed()).isEqualTo(1);
        }
    }

    @Test
    void withOneAttemptTheCrashItselfIsTheFailure() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(1))) {
            CompletableFuture<Integer> once = fake.pool.submit(FakeTasks.HaltUntilAttempt.class, 2);

            assertThatThrownBy(() -> fake.awaitAdvancing(once)).cause().isInstanceOfSatisfying(WorkerCrashedException.class,
                    e -> assertThat(e.attempt()).isEqualTo(1));
            assertThat(fake.pool.stats().retried()).isZero();
        }
    }

    @Test
    void aCrashedChunkIsSplitSoOnlyThePoisonousInputFails() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(2))) {
            // Teach the pool that Echo-sized inputs are cheap, so a batch travels in chunks.
            List<Integer> warm = new java.util.ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                warm.add(i);
            }
            assertThat(await(fake.pool.submitAll(FakeTasks.HaltOnNegative.class, warm))).isEqualTo(warm);
            List<Integer> inputs = new java.util.ArrayList<>(warm);
            inputs.set(1_500, -1);

            CompletableFuture<List<Integer>> batch = fake.pool.submitAll(FakeTasks.HaltOnNegative.class, inputs);

            assertThatThrownBy(() -> fake.awaitAdvancing(batch)).cause().isInstanceOfSatisfying(PoisonTaskException.class,
                    e -> assertThat(e.attempts()).hasSize(2));
            PoolStats stats = fake.pool.stats();
            assertThat(stats.failed()).isEqualTo(1); // only the poisonous input; its chunk's neighbours were split off
            assertThat(stats.retried()).isGreaterThan(1); // the chunk's other inputs were retried one by one
        }
    }
}
