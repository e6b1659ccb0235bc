package io.forkpool.runtime.internal.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task submitted to an idle pool is written by the submitting thread; the tasks behind it still
 * respect every worker's depth, so none waits behind another while a worker idles.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectDispatchTest {

    @Test
    void aSecondTaskGoesToTheIdleWorkerNotBehindTheFirstOnADepthOfOne() throws Exception {
        try (FakePool fake = FakePool.start(2, b -> b.tasksInFlightPerWorker(1))) {
            for (int round = 0; round < 30; round++) {
                String a = "a" + round;
                String b = "b" + round;
                CompletableFuture<String> first = fake.pool.submit(FakeTasks.AwaitGate.class, a);
                CompletableFuture<String> second = fake.pool.submit(FakeTasks.AwaitGate.class, b);
                // Both run at once, one on each worker: neither was given to a worker that held one.
                assertThat(Gates.named(a).startedWithin(Duration.ofSeconds(10))).as("round %d first", round).isTrue();
                assertThat(Gates.named(b).startedWithin(Duration.ofSeconds(10))).as("round %d second", round).isTrue();
                Gates.named(a).release();
                Gates.named(b).release();
                assertThat(FakePool.await(first)).isEqualTo(a);
                assertThat(FakePool.await(second)).isEqualTo(b);
            }
        }
    }

    @Test
    void sequentialRoundTripsOnAnIdlePoolAllComplete() throws Exception {
        try (FakePool fake = FakePool.start(2, b -> b)) {
            for (int i = 0; i < 2_000; i++) {
                assertThat(FakePool.await(fake.pool.submit(FakeTasks.Echo.class, "x" + i))).isEqualTo("x" + i);
            }
            assertThat(fake.pool.stats().succeeded()).isEqualTo(2_000);
        }
    }
}
