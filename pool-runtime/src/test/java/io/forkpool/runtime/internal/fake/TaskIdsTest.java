package io.forkpool.runtime.internal.fake;

import static io.forkpool.runtime.internal.fake.FakePool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.PoisonTaskException;
import io.forkpool.WorkerCrashedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task id is never sent twice in a pool's lifetime (PROTOCOL.md 4.1): a retry, a task re-sent
 * from a dead worker and the first input of a split chunk each go out under a fresh id, read here
 * from the frames the supervisor wrote; and what a run reports names the id it ran under.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TaskIdsTest {

    private static List<Long> sentIds(FakePool fake) {
        List<Long> ids = new ArrayList<>();
        for (FakeWorker worker : fake.spawner.all) {
            ids.addAll(worker.sent.taskIds());
        }
        return ids;
    }

    @Test
    void eachAttemptIsSentUnderAFreshIdAndItsCrashNamesIt() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(3))) {
            CompletableFuture<Integer> poison = fake.pool.submit(FakeTasks.HaltUntilAttempt.class, 100);

            assertThatThrownBy(() -> fake.awaitAdvancing(poison)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(PoisonTaskException.class, e -> {
                        List<Long> sent = sentIds(fake);
                        // One send per worker, each under a fresh id (a send given up may skip one).
                        assertThat(fake.spawner.all).extracting(worker -> worker.sent.taskIds().size())
                                .containsExactly(1, 1, 1);
                        assertThat(sent).startsWith(1L).doesNotHaveDuplicates().isSorted();
                        assertThat(e.attempts()).extracting(WorkerCrashedException::taskId).isEqualTo(sent);
                        assertThat(e.taskId()).as("its last attempt's").isEqualTo(sent.get(2));
                    });
        }
    }

    @Test
    void aTaskReSentFromADeadWorkerGoesUnderAFreshIdAsDoesTheRetry() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(2).tasksInFlightPerWorker(2))) {
            CompletableFuture<Integer> running = fake.pool.submit(FakeTasks.AttemptAtGate.class, "running");
            Gates.named("running").awaitStarted();
            CompletableFuture<String> waiting = fake.pool.submit(FakeTasks.Echo.class, "waiting");
            assertThat(fake.spawner.get(0).sent.awaitTaskIds(2)).containsExactly(1L, 2L);

            fake.spawner.get(0).halt(137, "killed under the running task");
            fake.advanceUntil("a second worker", () -> fake.spawner.all.size() == 2);
            // The waiting task, re-queued at the head without using an attempt, then the retry:
            // both under ids never sent before (a send given up may skip one).
            List<Long> resent = fake.spawner.get(1).sent.awaitTaskIds(2);
            assertThat(resent).hasSize(2).isSorted().doesNotHaveDuplicates()
                    .allSatisfy(id -> assertThat(id).isGreaterThan(2L));
            Gates.named("running").release();

            assertThat(fake.awaitAdvancing(waiting)).isEqualTo("waiting");
            assertThat(fake.awaitAdvancing(running)).isEqualTo(2);
            assertThat(sentIds(fake)).containsExactly(1L, 2L, resent.get(0), resent.get(1));
        }
    }

    @Test
    void theInputsOfASplitChunkIncludingItsFirstGoUnderFreshIds() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(2))) {
            // Teach the pool that these inputs are cheap, so a batch travels in chunks.
            List<Integer> inputs = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                inputs.add(i);
            }
            assertThat(await(fake.pool.submitAll(FakeTasks.HaltOnNegativeOnce.class, inputs))).isEqualTo(inputs);
            int before = sentIds(fake).size();
            List<Integer> withCrash = new ArrayList<>(inputs);
            withCrash.set(1_500, -1_500);

            assertThat(fake.awaitAdvancing(fake.pool.submitAll(FakeTasks.HaltOnNegativeOnce.class, withCrash)))
                    .isEqualTo(inputs);

            assertThat(fake.pool.stats().retried()).as("a chunk was split").isGreaterThan(1);
            List<Long> ids = sentIds(fake);
            assertThat(ids.size()).isGreaterThan(before);
            assertThat(ids).as("no id sent twice").doesNotHaveDuplicates();
        }
    }
}
