package io.forkpool.runtime.internal.ledger;

import io.forkpool.runtime.internal.exec.CallbackFuture;
import io.forkpool.runtime.internal.observe.PoolCounters;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

/**
 * A task's future, which counts the task in the pool's stats <em>before</em> it completes: a
 * caller whose {@code join()} returned sees its task counted in {@code stats()}. A callback could
 * not promise that, since it runs after the future is visibly complete. Only the first completion
 * counts, and only it completes the future, however many threads race to complete it.
 *
 * <p>The pool completes it through {@link #answer} and {@link #fail}. Every public way to
 * complete it ({@code complete}, {@code completeExceptionally}, {@code cancel}, {@code completeAsync},
 * and so {@code orTimeout} and {@code completeOnTimeout}) is a completion <em>from outside</em>: it
 * stops the task as {@code cancel(true)} does and counts it as cancelled, whatever value it gives
 * the caller ({@link #stopsTask}). A future completed from outside whose task ran on would hold
 * a worker for nothing, and count a task the pool never finished as succeeded or failed.
 *
 * <p>Dependent stages ({@code thenApply} and so on) run off the pool's threads ({@link CallbackFuture}).
 */
public final class TaskFuture extends CallbackFuture<Object> {

    private static final AtomicIntegerFieldUpdater<TaskFuture> SETTLED =
            AtomicIntegerFieldUpdater.newUpdater(TaskFuture.class, "settled");

    private final TaskRecord task;
    /** Where it is counted, or {@code null}; set before the task is shared. */
    private PoolCounters counters;
    private volatile int settled;
    /** Set by a completion from outside before it completes, so the pool's callback sees it. */
    private volatile boolean stopsTask;

    TaskFuture(TaskRecord task) {
        this.task = task;
    }

    /** Counts this task's outcome in {@code counters}. Before the future is handed out. */
    void countIn(PoolCounters counters) {
        this.counters = counters;
    }

    /**
     * Completes with the task's output: the pool's own completion.
     *
     * @param value the output
     * @return whether this completion won
     */
    public boolean answer(Object value) {
        return settle(null) && super.complete(value);
    }

    /**
     * Completes with the task's failure: the pool's own completion.
     *
     * @param error why the task failed, timed out or was cancelled by the pool
     * @return whether this completion won
     */
    public boolean fail(Throwable error) {
        return settle(error) && super.completeExceptionally(error);
    }

    /** Completion from outside: stops the task, counts it as cancelled, then gives the caller {@code value}. */
    @Override
    public boolean complete(Object value) {
        return settleFromOutside("completed") && super.complete(value);
    }

    /** Completion from outside ({@code orTimeout} too): stops the task, counts it as cancelled. */
    @Override
    public boolean completeExceptionally(Throwable error) {
        return settleFromOutside("completed exceptionally") && super.completeExceptionally(error);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return settleFromOutside("cancelled") && super.cancel(mayInterruptIfRunning);
    }

    /**
     * Runs {@code supplier} on {@code executor}, then completes from outside through {@link #complete}
     * (the inherited one would bypass it).
     */
    @Override
    public CompletableFuture<Object> completeAsync(Supplier<? extends Object> supplier, Executor executor) {
        if (supplier == null || executor == null) {
            throw new NullPointerException();
        }
        executor.execute(() -> {
            if (isDone()) {
                return;
            }
            try {
                complete(supplier.get());
            } catch (Throwable t) {
                completeExceptionally(t instanceof CompletionException ? t : new CompletionException(t));
            }
        });
        return this;
    }

    /** Refused: it would replace an outcome already counted. */
    @Override
    public void obtrudeValue(Object value) {
        throw new UnsupportedOperationException("a task's outcome is counted once: obtrudeValue is not supported");
    }

    /** Refused: it would replace an outcome already counted. */
    @Override
    public void obtrudeException(Throwable error) {
        throw new UnsupportedOperationException("a task's outcome is counted once: obtrudeException is not supported");
    }

    /**
     * @return whether the future was completed from outside (its caller completed or cancelled it),
     *     so its task, if it still runs, must be stopped
     */
    public boolean stopsTask() {
        return stopsTask;
    }

    private boolean settleFromOutside(String how) {
        if (!settle(new CancellationException(task + " " + how + " by its caller"))) {
            return false;
        }
        stopsTask = true;
        return true;
    }

    /**
     * @return whether a completion has won (it may still be completing): from then on the task's
     *     size is what was counted, so a span must no longer be cut or split
     */
    public boolean isSettled() {
        return settled != 0;
    }

    /** @return true for the one completion that wins, after counting it */
    private boolean settle(Throwable error) {
        if (settled != 0) {
            return false;
        }
        if (task.batch == null) {
            return settleAndCount(error); // a single task's size never changes
        }
        synchronized (task) { // a span's size changes only under its lock, while it is not settled
            return settleAndCount(error);
        }
    }

    private boolean settleAndCount(Throwable error) {
        if (!SETTLED.compareAndSet(this, 0, 1)) {
            return false;
        }
        if (counters != null) {
            counters.completed(task.size(), task.failedOffset(error), error);
        }
        return true;
    }
}
