package io.forkpool.runtime.internal.exec;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link Scheduler}: one daemon {@link PoolThread} named {@code <pool>-supervisor} and
 * {@link System#nanoTime()}. Owns that thread; {@link #shutdown()} ends it.
 */
public final class SupervisorThread implements Scheduler {

    private final ScheduledThreadPoolExecutor executor;
    /** The executor's thread, once it started; read to answer {@link #inSupervisor()}. */
    private volatile Thread thread;

    /** @param poolName names the thread */
    public SupervisorThread(String poolName) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new PoolThread(r, poolName + "-supervisor");
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void execute(Runnable action) {
        executor.execute(action);
    }

    @Override
    public Timer schedule(Runnable action, long delayNanos) {
        try {
            ScheduledFuture<?> future = executor.schedule(action, delayNanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return NONE;
        }
    }

    @Override
    public boolean inSupervisor() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void shutdown() {
        executor.shutdownNow();
    }
}
