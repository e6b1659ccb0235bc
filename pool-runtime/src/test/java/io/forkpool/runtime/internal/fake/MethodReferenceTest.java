package io.forkpool.runtime.internal.fake;

import static io.forkpool.runtime.internal.fake.FakePool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.TaskFailedException;
import io.forkpool.TaskOptions;
import io.forkpool.TaskTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tasks named by a method reference, through the real supervisor over in-memory workers. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MethodReferenceTest {

    private static final String ECHO = FakeMethods.class.getName() + "::echo";

    @Test
    void aStaticMethodReferenceRunsInAWorker() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            CompletableFuture<String> echoed = fake.pool.submit(FakeMethods::echo, "hello");
            assertThat(await(echoed)).isEqualTo("hello");
            assertThat(fake.pool.stats().succeeded()).isEqualTo(1);
        }
    }

    @Test
    void aFailureNamesTheMethod() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            assertThatThrownBy(() -> await(fake.pool.submit(FakeMethods::refuseNegative, -4))).cause()
                    .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                        assertThat(e.taskClass()).isEqualTo(FakeMethods.class.getName() + "::refuseNegative");
                        assertThat(e.getMessage()).contains("negative: -4");
                    });
        }
    }

    @Test
    void invokeAllRunsABatchInInputOrder() throws Exception {
        try (FakePool fake = FakePool.start(2, b -> b)) {
            List<String> inputs = java.util.stream.IntStream.range(0, 2_000).mapToObj(i -> "in" + i).toList();
            List<String> outputs = fake.pool.invokeAll(FakeMethods::echo, inputs);
            assertThat(outputs).isEqualTo(inputs);
            assertThat(fake.pool.stats().submitted()).isEqualTo(2_000);
            assertThat(fake.pool.stats().succeeded()).isEqualTo(2_000);
        }
    }

    @Test
    void theStreamingBatchHandsOverEveryOutput() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            await(fake.pool.submitAllStreaming(FakeMethods::echo, List.of("a", "b", "c"), TaskOptions.DEFAULT,
                    io.forkpool.ProgressListener.NONE, (index, output) -> seen.add(index + "=" + output)));
            assertThat(seen).containsExactlyInAnyOrder("0=a", "1=b", "2=c");
        }
    }

    @Test
    void theOutputIsDecodedAsTheMethodsGenericReturnType() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            List<Long> squares = await(fake.pool.submit(FakeMethods::squares, 4));
            assertThat(squares).containsExactly(0L, 1L, 4L, 9L);
            assertThat(squares).allSatisfy(n -> assertThat((Object) n).isInstanceOf(Long.class));
            List<List<Long>> batch = await(fake.pool.submitAll(FakeMethods::squares, List.of(1, 2)));
            assertThat(batch.get(1)).containsExactly(0L, 1L);
            assertThat((Object) batch.get(1).get(1)).isInstanceOf(Long.class);
        }
    }

    @Test
    void aTimeoutInTheOptionsStopsAMethodAsItStopsATaskClass() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            TaskOptions fiveSeconds = TaskOptions.builder().timeout(Duration.ofSeconds(5)).build();
            CompletableFuture<String> slow = fake.pool.submit(FakeMethods::awaitGate, "method-slow", fiveSeconds);
            Gates.named("method-slow").awaitStarted();

            fake.advance(Duration.ofSeconds(5));

            assertThatThrownBy(() -> await(slow)).cause().isInstanceOfSatisfying(TaskTimeoutException.class,
                    e -> assertThat(e.getMessage()).contains(FakeMethods.class.getName() + "::awaitGate"));
            assertThat(await(fake.pool.submit(FakeMethods::echo, "next"))).isEqualTo("next");
            assertThat(fake.pool.stats().timedOut()).isEqualTo(1);
            assertThat(fake.spawner.all).hasSize(1); // it stopped on its cancel: the worker lives on
        }
    }

    @Test
    void theAllowListRefusesAMethodAtSubmitByItsClass() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.allowTasks("io.forkpool.examples.*"))) {
            assertThatThrownBy(() -> fake.pool.submit(FakeMethods::echo, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(ECHO + " is not in the pool's task allow-list [io.forkpool.examples.*]");
            assertThatThrownBy(() -> fake.pool.invokeAll(FakeMethods::echo, List.of("x")))
                    .hasMessageStartingWith(ECHO + " is not in the pool's task allow-list");
            assertThat(fake.pool.stats().submitted()).isZero();
        }
        try (FakePool fake = FakePool.start(1, b -> b.allowTasks(FakeMethods.class.getName()))) {
            assertThat(await(fake.pool.submit(FakeMethods::echo, "allowed"))).isEqualTo("allowed");
        }
    }

    @Test
    void aCapturingLambdaIsRefusedAtSubmitAndNothingIsQueued() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            String suffix = "!";
            assertThatThrownBy(() -> fake.pool.submit((String s) -> s + suffix, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("captures 1 value: pass it in the input");
            assertThatThrownBy(() -> fake.pool.submitAll((String s) -> s + suffix, List.of("x", "y")))
                    .hasMessageContaining("captures 1 value: pass it in the input");
            assertThat(fake.pool.stats().submitted()).isZero();
            assertThat(await(fake.pool.submit(FakeMethods::echo, "still serving"))).isEqualTo("still serving");
        }
    }
}
