package io.forkpool.runtime.internal.fake;

import io.forkpool.PoolOptions;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerPoolBuilder;
import io.forkpool.runtime.internal.ProcessPool;
import io.forkpool.runtime.internal.worker.DriverConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real {@link ProcessPool} over {@link FakeWorker}s and a {@link ManualScheduler}: everything
 * of the supervisor is the production code but the process and the clock.
 */
public final class FakePool implements AutoCloseable {

    public final ManualScheduler clock = new ManualScheduler();
    public final FakeSpawner spawner;
    public final ProcessPool pool;
    public final PoolOptions options;

    private FakePool(PoolOptions options, FakeSpawner spawner, boolean probes) {
        this.options = options;
        this.spawner = spawner;
        DriverConfig config = DriverConfig.of(options);
        if (!probes) {
            // The clock jumps while the fake workers answer in real time: a test that moves it by
            // minutes must not see a PONG that is on its way taken for silence.
            long never = TimeUnit.DAYS.toNanos(365);
            config = new DriverConfig(config.poolName(), config.workers(), config.maxFrameLength(),
                    config.tasksInFlight(), config.maxTasksPerWorker(), config.maxWorkerHeapBytes(),
                    config.startupNanos(), never, never, config.stopGraceNanos(), config.jvmWorkers());
        }
        this.pool = new ProcessPool(options, spawner, clock, config);
    }

    /** A pool of {@code workers} fake workers, further configured by {@code settings}. */
    public static FakePool start(int workers, UnaryOperator<WorkerPoolBuilder> settings) {
        PoolOptions options = settings.apply(WorkerPool.builder().name("fake").workers(workers)).options();
        return new FakePool(options, new FakeSpawner(options.maxFrameLength()), false);
    }

    /** As {@link #start(int, UnaryOperator)}, with the liveness probes at their real settings. */
    public static FakePool startProbing(int workers, UnaryOperator<WorkerPoolBuilder> settings) {
        PoolOptions options = settings.apply(WorkerPool.builder().name("fake").workers(workers)).options();
        return new FakePool(options, new FakeSpawner(options.maxFrameLength()), true);
    }

    /** As {@link #start(int, UnaryOperator)}, with the spawner prepared first (e.g. workers that never connect). */
    public static FakePool start(int workers, FakeSpawner spawner, UnaryOperator<WorkerPoolBuilder> settings) {
        PoolOptions options = settings.apply(WorkerPool.builder().name("fake").workers(workers)).options();
        return new FakePool(options, spawner, false);
    }

    /** @return a spawner for {@link #start(int, FakeSpawner, UnaryOperator)} */
    public static FakeSpawner spawner() {
        return new FakeSpawner(WorkerPool.builder().options().maxFrameLength());
    }

    /** Waits for a future with a bound, so that a test fails rather than hangs. */
    public static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    /**
     * Waits for a future while moving the clock on in steps of 50 ms, so that restarts after a
     * backoff, and any timer, happen as they would in time; fails after 10 s of real time.
     */
    public <T> T awaitAdvancing(CompletableFuture<T> future) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!future.isDone()) {
            if (System.nanoTime() > deadline) {
                throw new java.util.concurrent.TimeoutException("not done within 10 s: " + future);
            }
            clock.advance(Duration.ofMillis(50));
            try {
                return future.get(2, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // move the clock on
            }
        }
        return future.get();
    }

    /** Advances the clock. */
    public void advance(Duration by) {
        clock.advance(by);
    }

    /**
     * Moves the clock on in steps of 50 ms until the condition holds, so that a restart after a
     * backoff happens as it would in time; fails after 10 s of real time.
     */
    public void advanceUntil(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            clock.advance(Duration.ofMillis(50));
            Thread.sleep(1); // polling a condition with a deadline
        }
    }

    @Override
    public void close() {
        Thread closer = new Thread(pool::closeNow, "fake-pool-closer");
        closer.start();
        // Escalations wait on the manual clock: move it until the close is done.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (closer.isAlive() && System.nanoTime() < deadline) {
            try {
                clock.advance(Duration.ofMillis(500));
                closer.join(5);
            } catch (RuntimeException e) {
                break; // the scheduler was shut down by the close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            closer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Gates.reset();
        if (closer.isAlive()) {
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement e : closer.getStackTrace()) {
                stack.append("\n\tat ").append(e);
            }
            throw new AssertionError("closeNow() did not return within 10 s; it waits at:" + stack);
        }
    }
}
