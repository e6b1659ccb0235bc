package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.PoolStats;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.tasks.AwaitFile;
import io.forkpool.runtime.tasks.Echo;
import io.forkpool.testsupport.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maxPendingTasks}: submitters wait for room, and only they. Tasks are held open by gate
 * files the test creates, so every assertion is about order, never about timing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackpressureIT {

    @TempDir
    Path dir;

    private static WorkerPool pool(int maxPending) {
        return WorkerPool.builder().name("backpressure").workers(1).maxPendingTasks(maxPending).build();
    }

    @Test
    void aSubmitterWaitsWhileThePoolHoldsTheBoundAndGoesOnWhenATaskCompletes() throws Exception {
        try (WorkerPool pool = pool(2)) {
            Path gateA = dir.resolve("a");
            Path gateB = dir.resolve("b");
            CompletableFuture<String> a = pool.submit(AwaitFile.class, gateA.toString());
            CompletableFuture<String> b = pool.submit(AwaitFile.class, gateB.toString());
            AtomicReference<CompletableFuture<String>> c = new AtomicReference<>();
            Thread submitter = start(() -> c.set(pool.submit(Echo.class, "c")));
            awaitWaiting(submitter);
            assertThat(pool.stats().submitted()).isEqualTo(2);
            assertThat(c.get()).isNull();

            Files.createFile(gateA);
            submitter.join(30_000);
            assertThat(submitter.isAlive()).isFalse();
            assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(gateA.toString());
            assertThat(pool.stats().submitted()).isEqualTo(3);
            Files.createFile(gateB);
            assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo(gateB.toString());
            assertThat(c.get().get(30, TimeUnit.SECONDS)).isEqualTo("c");
        }
    }

    @Test
    void aWaitingSubmitterThatIsInterruptedIsRejectedKeepsItsFlagAndQueuesNothing() throws Exception {
        try (WorkerPool pool = pool(1)) {
            Path gate = dir.resolve("gate");
            CompletableFuture<String> held = pool.submit(AwaitFile.class, gate.toString());
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread submitter = new Thread(() -> {
                try {
                    pool.submit(Echo.class, "never");
                } catch (Throwable t) {
                    thrown.set(t);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            submitter.start();
            awaitWaiting(submitter);
            submitter.interrupt();
            submitter.join(30_000);
            assertThat(thrown.get()).isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("interrupted while waiting for room in pool backpressure");
            assertThat(flag.get()).isTrue();
            assertThat(pool.stats().submitted()).isEqualTo(1);

            Files.createFile(gate);
            assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo(gate.toString());
            // The permit the interrupted submitter never got is still there for the next one.
            assertThat(pool.submit(Echo.class, "next").get(30, TimeUnit.SECONDS)).isEqualTo("next");
        }
    }

    @Test
    void aBatchWhoseSubmitterIsInterruptedMidwayCancelsWhatItHadQueued() throws Exception {
        try (WorkerPool pool = pool(2)) {
            Path gate = dir.resolve("gate");
            CompletableFuture<String> held = pool.submit(AwaitFile.class, gate.toString());
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread submitter = new Thread(() -> {
                try {
                    pool.submitAll(Echo.class, List.of("queued", "waits", "never"));
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            submitter.start();
            awaitWaiting(submitter); // "queued" took the second permit, "waits" waits for room
            submitter.interrupt();
            submitter.join(30_000);
            assertThat(thrown.get()).isInstanceOf(RejectedExecutionException.class);
            // Nobody holds the batch's future, so nothing may run for it: "queued" is cancelled.
            assertThat(pool.stats().cancelled()).isEqualTo(1);

            Files.createFile(gate);
            assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo(gate.toString());
            assertThat(pool.submit(Echo.class, "next").get(30, TimeUnit.SECONDS)).isEqualTo("next");
            PoolStats stats = pool.stats();
            assertThat(stats.submitted()).isEqualTo(3);
            assertThat(stats.succeeded()).isEqualTo(2);
            assertThat(stats.cancelled()).isEqualTo(1);
        }
    }

    @Test
    void closingThePoolRejectsWaitingSubmitters() throws Exception {
        WorkerPool pool = pool(1);
        List<Long> pids = pool.stats().workers().stream().map(WorkerStats::pid).toList();
        try {
            CompletableFuture<String> held = pool.submit(AwaitFile.class, dir.resolve("never").toString());
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread submitter = new Thread(() -> {
                try {
                    pool.submit(Echo.class, "never");
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            submitter.start();
            awaitWaiting(submitter);
            pool.closeNow();
            submitter.join(30_000);
            assertThat(thrown.get()).isInstanceOf(RejectedExecutionException.class);
            assertThat(held).isCompletedExceptionally();
        } finally {
            pool.closeNow();
            Processes.assertAllGone(pids, Duration.ofSeconds(10));
        }
    }

    @Test
    void aBatchLargerThanTheBoundIsQueuedInPartsAndLosesNothing() throws Exception {
        try (WorkerPool pool = pool(3)) {
            List<String> inputs = IntStream.range(0, 10).mapToObj(i -> "input-" + i).toList();
            CompletableFuture<List<String>> all = pool.submitAll(Echo.class, inputs);
            // The tenth task could be queued only once at most 2 others were pending, so 7 had completed.
            assertThat(pool.stats().succeeded()).isGreaterThanOrEqualTo(7);
            assertThat(all.get(30, TimeUnit.SECONDS)).isEqualTo(inputs);
            assertThat(pool.stats().submitted()).isEqualTo(10);
        }
    }

    @Test
    void aCallbackRunByThePoolThatSubmitsNeverWaitsForRoom() throws Exception {
        try (WorkerPool pool = pool(1)) {
            Path gate = dir.resolve("gate");
            CompletableFuture<String> chained = pool.submit(AwaitFile.class, gate.toString())
                    .thenCompose(path -> pool.submit(Echo.class, "after " + path.length()));
            // Completing the first task runs the callback on the pool's io thread, before the first
            // task's permit is given back: waiting there for room would deadlock the pool.
            Files.createFile(gate);
            assertThat(chained.get(30, TimeUnit.SECONDS)).isEqualTo("after " + gate.toString().length());
        }
    }

    private static Thread start(ThrowingRunnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        return thread;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Waits until the thread is parked: it is waiting for room. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("thread never waited").isLessThan(deadline);
            assertThat(thread.isAlive()).as("thread ended without waiting").isTrue();
            Thread.sleep(5); // polls for the thread's state, within the deadline
        }
    }

}
