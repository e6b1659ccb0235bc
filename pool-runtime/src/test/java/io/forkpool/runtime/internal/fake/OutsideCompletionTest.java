package io.forkpool.runtime.internal.fake;

import static io.forkpool.runtime.internal.fake.FakePool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.ExitCause;
import io.forkpool.PoolStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A future its caller completes (orTimeout, completeOnTimeout, complete, completeAsync) stops its
 * task as {@code cancel(true)} does: the worker is freed for the next task, and the task counts
 * as cancelled, not as failed or succeeded.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OutsideCompletionTest {

    static Stream<Arguments> outsideCompletions() {
        return Stream.of(
                Arguments.of("orTimeout", (Consumer<CompletableFuture<String>>) f -> f.orTimeout(20, TimeUnit.MILLISECONDS)),
                Arguments.of("completeOnTimeout",
                        (Consumer<CompletableFuture<String>>) f -> f.completeOnTimeout("x", 20, TimeUnit.MILLISECONDS)),
                Arguments.of("complete", (Consumer<CompletableFuture<String>>) f -> f.complete("x")),
                Arguments.of("completeAsync", (Consumer<CompletableFuture<String>>) f -> f.completeAsync(() -> "x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outsideCompletions")
    void aFutureCompletedFromOutsideCancelsItsTaskAndFreesItsWorker(String how,
            Consumer<CompletableFuture<String>> completion) throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            CompletableFuture<String> slow = fake.pool.submit(FakeTasks.AwaitGate.class, "slow");
            Gates.named("slow").awaitStarted();

            completion.accept(slow);

            if (how.equals("orTimeout")) {
                assertThatThrownBy(() -> await(slow)).cause().isInstanceOf(TimeoutException.class);
            } else {
                assertThat(await(slow)).isEqualTo("x");
            }
            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "next"))).isEqualTo("next");
            PoolStats stats = fake.pool.stats();
            assertThat(stats.cancelled()).isEqualTo(1);
            assertThat(stats.failed()).isZero();
            assertThat(stats.succeeded()).isEqualTo(1);
            assertThat(fake.spawner.all).hasSize(1);
        }
    }

    @Test
    void completingABatchFromOutsideCancelsItsInputs() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            CompletableFuture<List<String>> batch = fake.pool.submitAll(FakeTasks.AwaitGate.class, List.of("a", "b"));
            Gates.named("a").awaitStarted();

            assertThat(batch.complete(List.of())).isTrue();

            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "next"))).isEqualTo("next");
            assertThat(fake.pool.stats().cancelled()).isEqualTo(2);
            assertThat(fake.pool.stats().failed()).isZero();
            assertThat(Gates.named("b").arrivals()).isZero();
        }
    }

    @Test
    void aTaskCompletedFromOutsideThatIgnoresItsCancelCostsItsWorkerItsLife() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            CompletableFuture<String> stubborn = fake.pool.submit(FakeTasks.AwaitGateStubbornly.class, "stubborn");
            Gates.named("stubborn").awaitStarted();

            assertThat(stubborn.complete("x")).isTrue();
            fake.advance(Duration.ofMillis(500));

            assertThat(fake.awaitAdvancing(fake.pool.submit(FakeTasks.Echo.class, "next"))).isEqualTo("next");
            assertThat(fake.pool.stats().workerExits().get(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL)).isEqualTo(1);
            assertThat(fake.spawner.all).hasSize(2);
            assertThat(fake.pool.stats().cancelled()).isEqualTo(1);
        }
    }

    @Test
    void aTasksOutcomeCannotBeObtruded() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            CompletableFuture<String> done = fake.pool.submit(FakeTasks.Echo.class, "done");
            assertThat(await(done)).isEqualTo("done");

            assertThatThrownBy(() -> done.obtrudeValue("other")).isInstanceOf(UnsupportedOperationException.class);
            assertThat(await(done)).isEqualTo("done");
        }
    }
}
