package io.forkpool.runtime.internal.fake;

import static io.forkpool.runtime.internal.fake.FakePool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.ProgressListener;
import io.forkpool.TaskDataException;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskName;
import io.forkpool.TaskOptions;
import io.forkpool.TypeRef;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tasks known by name only, with the types the caller states, as for a worker in another language,
 * through the real supervisor over in-memory workers (whose Java tasks stand for the foreign ones).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TaskNameTest {

    private static final TaskName<Integer, List<Long>> SQUARES = TaskName.of(FakeMethods.class.getName() + "::squares",
            TypeRef.of(Integer.class), new TypeRef<List<Long>>() { });
    private static final TaskName<String, String> ECHO = TaskName.of(FakeTasks.Echo.class.getName(), String.class,
            String.class);

    @Test
    void aNamedTaskRunsAndItsOutputIsDecodedAsTheStatedGenericType() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            List<Long> squares = await(fake.pool.submit(SQUARES, 4));
            assertThat(squares).containsExactly(0L, 1L, 4L, 9L);
            assertThat(squares).allSatisfy(n -> assertThat((Object) n).isInstanceOf(Long.class));
            assertThat(await(fake.pool.submit(ECHO, "hello"))).isEqualTo("hello");
            assertThat(fake.pool.stats().succeeded()).isEqualTo(2);
        }
    }

    @Test
    void everyBatchCallTakesANameAsItTakesAClass() throws Exception {
        try (FakePool fake = FakePool.start(2, b -> b)) {
            List<String> inputs = IntStream.range(0, 2_000).mapToObj(i -> "in" + i).toList();
            assertThat(fake.pool.invokeAll(ECHO, inputs)).isEqualTo(inputs);
            List<List<Long>> batch = await(fake.pool.submitAll(SQUARES, List.of(1, 2)));
            assertThat(batch).containsExactly(List.of(0L), List.of(0L, 1L));
            assertThat((Object) batch.get(1).get(1)).isInstanceOf(Long.class);
            List<String> seen = new CopyOnWriteArrayList<>();
            await(fake.pool.submitAllStreaming(ECHO, List.of("a", "b", "c"), TaskOptions.DEFAULT, ProgressListener.NONE,
                    (index, output) -> seen.add(index + "=" + output)));
            assertThat(seen).containsExactlyInAnyOrder("0=a", "1=b", "2=c");
            assertThat(fake.pool.stats().succeeded()).isEqualTo(2_005);
        }
    }

    @Test
    void theAllowListRefusesANameAtSubmitAndNothingIsQueued() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.allowTasks("io.forkpool.examples.*"))) {
            assertThatThrownBy(() -> fake.pool.submit(ECHO, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(FakeTasks.Echo.class.getName() + " is not in the pool's task allow-list"
                            + " [io.forkpool.examples.*]");
            assertThatThrownBy(() -> fake.pool.invokeAll(SQUARES, List.of(1)))
                    .hasMessage(SQUARES.name() + " is not in the pool's task allow-list [io.forkpool.examples.*]");
            TaskName<String, String> jdk = TaskName.of("java.lang.Runtime", String.class, String.class);
            assertThatThrownBy(() -> fake.pool.submit(jdk, "x")).hasMessageStartingWith("java.lang.Runtime is not in");
            assertThat(fake.pool.stats().submitted()).isZero();
        }
        try (FakePool fake = FakePool.start(1, b -> b.allowTasks(FakeTasks.Echo.class.getName()))) {
            assertThat(await(fake.pool.submit(ECHO, "allowed"))).isEqualTo("allowed");
        }
    }

    @Test
    void aNameTheWorkerDoesNotKnowFailsAsAnUnknownTaskAndTheWorkerServesOn() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            TaskName<String, String> missing = TaskName.of("com.example.count_primes", String.class, String.class);
            assertThatThrownBy(() -> await(fake.pool.submit(missing, "x"))).cause()
                    .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                        assertThat(e.taskClass()).isEqualTo("com.example.count_primes");
                        assertThat(e.remoteExceptionClass()).isEqualTo(TaskFailedException.UNKNOWN_TASK);
                        assertThat(e.remoteMessage()).isEqualTo("no task named com.example.count_primes in this"
                                + " worker: class com.example.count_primes not found");
                    });
            assertThat(await(fake.pool.submit(ECHO, "next"))).isEqualTo("next");
            assertThat(fake.spawner.all).hasSize(1);
        }
    }

    @Test
    void anOutputThatIsNotOfTheStatedTypeIsADataError() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            TaskName<String, Long> misstated = TaskName.of(FakeTasks.Echo.class.getName(), String.class, Long.class);
            assertThatThrownBy(() -> await(fake.pool.submit(misstated, "not a number"))).cause()
                    .isInstanceOfSatisfying(TaskDataException.class, e -> {
                        assertThat(e.direction()).isEqualTo(TaskDataException.Direction.OUTPUT);
                        assertThat(e.taskClass()).isEqualTo(FakeTasks.Echo.class.getName());
                    });
            assertThat(await(fake.pool.submit(ECHO, "next"))).isEqualTo("next");
        }
    }
}
