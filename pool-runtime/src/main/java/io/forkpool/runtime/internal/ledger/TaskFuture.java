package io.forkpool.runtime.internal.ledger;

import io.forkpool.runtime.internal.exec.CallbackFuture;
import io.forkpool.runtime.internal.observe.PoolCounters;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A task's future, which counts the task in the pool's stats <em>before</em> it completes: a
 * caller whose {@code join()} returned sees its task counted in {@code stats()}. A callback could
 * not promise that, since it runs after the future is visibly complete. Only the first completion
 * counts, and only it completes the future, however many threads race to complete it.
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

    TaskFuture(TaskRecord task) {
        this.task = task;
    }

    /** Counts this task's outcome in {@code counters}. Before the future is handed out. */
    void countIn(PoolCounters counters) {
        this.counters = counters;
    }

    @Override
    public boolean complete(Object value) {
        return settle(null) && super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable error) {
        return settle(error) && super.completeExceptionally(error);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return settle(new CancellationException()) && super.cancel(mayInterruptIfRunning);
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
