package io.forkpool.runtime.internal.fake;

import static io.forkpool.runtime.internal.fake.FakePool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.runtime.internal.lifecycle.PoolShutdown;
import io.forkpool.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pool its application never closed is closed at JVM exit: its tasks cancelled, and counted in the warning. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ForgottenCloseTest {

    /** Closes as the shutdown hook does, moving the clock for the stop's escalation until it returns. */
    private static PoolShutdown.AtExit closeAtJvmExit(FakePool fake) throws Exception {
        CompletableFuture<PoolShutdown.AtExit> atExit = CompletableFuture.supplyAsync(fake.pool::closeAtJvmExit);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!atExit.isDone() && System.nanoTime() < deadline) {
            try {
                fake.advance(Duration.ofMillis(500));
            } catch (RejectedExecutionException e) {
                break; // the close shut the supervisor thread down: it is about done
            }
            try {
                return atExit.get(5, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // move the clock on
            }
        }
        return await(atExit);
    }

    @Test
    void closingAtJvmExitCancelsTheRunningAndQueuedTasksAndCountsThem() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.tasksInFlightPerWorker(1))) {
            List<CompletableFuture<String>> tasks = new ArrayList<>();
            tasks.add(fake.pool.submit(FakeTasks.AwaitGate.class, "held"));
            Gates.named("held").awaitStarted();
            for (int i = 0; i < 3; i++) {
                tasks.add(fake.pool.submit(FakeTasks.Echo.class, "queued " + i));
            }
            Await.until("three tasks queued behind the held one", Duration.ofSeconds(10),
                    () -> fake.pool.stats().queued() == 3);

            PoolShutdown.AtExit dropped = closeAtJvmExit(fake);

            assertThat(dropped).isEqualTo(new PoolShutdown.AtExit(3, 4));
            assertThat(fake.pool.stats().cancelled()).isEqualTo(4);
            for (CompletableFuture<String> task : tasks) {
                assertThatThrownBy(() -> await(task)).isInstanceOf(CancellationException.class);
            }
        }
    }

    @Test
    void closingAtJvmExitAPoolWithNothingToDoCancelsNothing() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "done"))).isEqualTo("done");

            PoolShutdown.AtExit dropped = closeAtJvmExit(fake);

            assertThat(dropped).isEqualTo(new PoolShutdown.AtExit(0, 0));
        }
    }
}
