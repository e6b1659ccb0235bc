package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.PoisonTaskException;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskOptions;
import io.forkpool.WorkerCrashedException;
import io.forkpool.WorkerPool;
import io.forkpool.runtime.tasks.Probe;
import io.forkpool.runtime.tasks.Spin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code submitAll} cuts its inputs into BATCH frames of about a millisecond of work, and keeps
 * every per-input guarantee: exact outputs in order, a failure names its input, a crash is
 * retried input by input so a poisonous input is told apart from its neighbours.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchIT {

    private WorkerPool pool;

    @BeforeAll
    void startPool() {
        pool = WorkerPool.builder().name("batch").workers(2).restartLimit(100, Duration.ofMinutes(1)).build();
    }

    @AfterAll
    void closePool() {
        pool.close();
    }

    private static List<Long> inputs(long count) {
        return LongStream.range(0, count).boxed().toList();
    }

    @Test
    void manyTinyInputsTravelInChunksAndComeBackExactlyInOrder() throws Exception {
        List<Long> inputs = inputs(200_000);
        List<long[]> outputs = pool.invokeAll(Probe.class, inputs);
        assertThat(outputs).hasSize(inputs.size());
        Set<Long> taskIds = new HashSet<>();
        for (int i = 0; i < outputs.size(); i++) {
            assertThat(outputs.get(i)[0]).isEqualTo(i);
            assertThat(outputs.get(i)[2]).isEqualTo(1);
            taskIds.add(outputs.get(i)[1]);
        }
        // Each input ran under the id of the frame that carried it: far fewer frames than inputs
        // (about 1 ms of inputs per chunk; the bound leaves room for a slow, loaded machine).
        assertThat(taskIds.size()).isLessThan(inputs.size() / 5);
        assertThat(pool.stats().succeeded()).isGreaterThanOrEqualTo(inputs.size());
    }

    @Test
    void aFailingInputIsNamedByItsIndexInTheBatch() {
        List<Long> inputs = new ArrayList<>(inputs(50_000));
        inputs.set(31_337, -3L);
        assertThatThrownBy(() -> pool.invokeAll(Probe.class, inputs))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.inputIndex()).isEqualTo(31_337);
                    assertThat(e.remoteExceptionClass()).isEqualTo(IllegalArgumentException.class.getName());
                    assertThat(e.remoteMessage()).isEqualTo("probe refuses input -3");
                    assertThat(e.getMessage()).contains("failed on input 31337 of its batch");
                });
    }

    @Test
    void aChunkWhoseWorkerCrashedIsRetriedInputByInput() throws Exception {
        List<Long> inputs = new ArrayList<>(inputs(100_000));
        inputs.set(70_000, -2L); // halts its worker on the first attempt only
        List<long[]> outputs = pool.invokeAll(Probe.class, inputs);
        int retried = 0;
        for (int i = 0; i < outputs.size(); i++) {
            long attempt = outputs.get(i)[2];
            assertThat(outputs.get(i)[0]).isEqualTo(inputs.get(i));
            assertThat(attempt).isBetween(1L, 2L);
            if (attempt == 2) {
                retried++;
                // Each retried input went alone: its own task id, shared with no other input.
                long id = outputs.get(i)[1];
                assertThat(outputs.stream().filter(o -> o[1] == id).count()).isEqualTo(1);
            }
        }
        assertThat(outputs.get(70_000)[2]).isEqualTo(2);
        // The crashed chunk held more than the culprit (chunks hold about a millisecond of inputs).
        assertThat(retried).isGreaterThan(1);
    }

    @Test
    void aPoisonousInputFailsAloneAfterExactlyItsAttempts() {
        List<Long> inputs = new ArrayList<>(inputs(20_000));
        inputs.set(12_345, -1L); // halts its worker every time
        assertThatThrownBy(() -> pool.invokeAll(Probe.class, inputs, TaskOptions.builder().maxAttempts(3).build()))
                .isInstanceOfSatisfying(PoisonTaskException.class, e -> {
                    assertThat(e.attempts()).hasSize(3);
                    assertThat(e.attempts()).extracting(WorkerCrashedException::attempt).containsExactly(1, 2, 3);
                    assertThat(e.attempts()).allSatisfy(crash -> assertThat(crash.exitCode()).hasValue(42));
                    // Each attempt is a send of its own, under a fresh id (PROTOCOL.md 4.1), and the
                    // exception names the last.
                    assertThat(e.attempts()).extracting(WorkerCrashedException::taskId).doesNotHaveDuplicates();
                    assertThat(e.taskId()).isEqualTo(e.attempts().get(2).taskId());
                });
    }

    @Test
    void cancellingABatchStopsItsChunksAndThePoolServesOn() throws Exception {
        List<Long> spins = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            spins.add(2L); // 2 ms each: 20 s of work for two workers
        }
        CompletableFuture<List<Long>> all = pool.submitAll(Spin.class, spins);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pool.stats().succeeded() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5); // polls until the batch has answered inputs, within the deadline
        }
        assertThat(all.cancel(true)).isTrue();
        assertThatThrownBy(all::join).isInstanceOf(CancellationException.class);
        // Within the 500 ms cancellation grace both workers are free again and answer at once.
        assertThat(pool.submit(Probe.class, 7L).get(30, TimeUnit.SECONDS)[0]).isEqualTo(7);
        assertThat(pool.stats().queued()).isZero();
    }

    @Test
    void inputsWithATimeoutTravelAlone() throws Exception {
        List<long[]> outputs = pool.submitAll(Probe.class, inputs(2_000),
                TaskOptions.builder().timeout(Duration.ofSeconds(30)).build()).get(60, TimeUnit.SECONDS);
        assertThat(outputs.stream().map(o -> o[1]).distinct().count()).isEqualTo(2_000);
    }

}
