package io.forkpool.runtime.internal.ledger;

import io.forkpool.OutputHandler;
import io.forkpool.PoisonTaskException;
import io.forkpool.PoolFailedException;
import io.forkpool.ProgressListener;
import io.forkpool.TaskOptions;
import io.forkpool.WorkerCrashedException;
import io.forkpool.runtime.internal.observe.PoolCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the pool's outstanding work: every task from its submission to its completion. It holds
 * the shared queue the workers' senders pull from ({@link TaskSource}), counts what is
 * outstanding (what {@code close()} waits for), takes and gives back {@code maxPendingTasks}
 * permits, cuts batch spans into chunks, splits a crashed chunk, and applies the fates
 * {@link OrphanFates} decides for a dead worker's tasks.
 *
 * <p>It completes a task only to abandon, fail or retry it; answers are completed by the worker
 * driver that holds the task. A cancelled task's owner is told ({@link TaskOwner}).
 *
 * <p>Thread-safe: submitters, senders, io threads and the supervisor thread all call it. A span's
 * size changes only under the span's monitor while its future is unsettled ({@link TaskFuture}).
 */
public final class TaskLedger implements TaskSource {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");

    private final String poolName;
    private final int defaultAttempts;
    private final Duration defaultTimeout;
    private final boolean bounded;
    private final PoolCounters counters;
    private final Intake intake;
    private final PendingLimit pending;
    private final TaskQueue queue = new TaskQueue();
    private final AtomicLong taskIds = new AtomicLong();
    /** Tasks submitted and not yet completed; close() waits for it to reach zero (under {@code this}). */
    private final AtomicLong outstanding = new AtomicLong();

    /**
     * @param poolName for messages
     * @param defaultAttempts the pool's {@code maxAttempts}
     * @param defaultTimeout the pool's {@code taskTimeout}, or {@code null}
     * @param maxPendingTasks the pool's bound on pending tasks, or 0
     * @param counters where outcomes are counted
     * @param intake the lifecycle, asked whether tasks are taken
     */
    public TaskLedger(String poolName, int defaultAttempts, Duration defaultTimeout, int maxPendingTasks,
            PoolCounters counters, Intake intake) {
        this.poolName = poolName;
        this.defaultAttempts = defaultAttempts;
        this.defaultTimeout = defaultTimeout;
        this.bounded = maxPendingTasks > 0;
        this.pending = new PendingLimit(maxPendingTasks);
        this.counters = counters;
        this.intake = intake;
    }

    // ---- submitting ----------------------------------------------------------------------------

    /**
     * Queues one task, first waiting for room if the pool bounds pending tasks.
     *
     * @return its future
     * @throws RejectedExecutionException if the pool takes no tasks
     * @param type the task type
     * @param input the encoded input
     * @param options the caller's overrides of the pool's settings
     */
    public TaskFuture submit(TaskType type, byte[] input, TaskOptions options) {
        TaskRecord task = new TaskRecord(taskIds.incrementAndGet(), type, input,
                options.maxAttempts().orElse(defaultAttempts), options.timeout().orElse(defaultTimeout));
        task.future.countIn(counters);
        task.future.whenCompleteInline((output, error) -> onTaskDone(task, error));
        queue(task);
        return task.future;
    }

    /**
     * Queues a batch of encoded inputs: one span of everything, cut into chunks as workers ask for
     * work; inputs with a timeout travel alone (a timeout is per input), and so do inputs under a
     * pending bound, queued one by one as room appears.
     *
     * @param handler receives each output, or {@code null} to gather them in a list
     * @return the batch, whose future the caller gets
     * @throws RejectedExecutionException if the pool takes no tasks
     * @param type the task type
     * @param encoded the inputs, encoded, in order
     * @param options the caller's overrides of the pool's settings
     * @param progress receives progress reports, or {@link ProgressListener#NONE}
     */
    public Batch submitBatch(TaskType type, EncodedInputs encoded, TaskOptions options, ProgressListener progress,
            OutputHandler<Object> handler) {
        Batch batch = new Batch(type, encoded, options.maxAttempts().orElse(defaultAttempts),
                options.timeout().orElse(defaultTimeout), progress, handler);
        if (encoded.count() == 0) {
            batch.deliver(0, new Object[0]);
        } else if (batch.timeout == null && !bounded) {
            enqueue(List.of(newSpan(batch, 0, encoded.count())));
        } else {
            List<TaskRecord> tasks = new ArrayList<>(encoded.count());
            for (int i = 0; i < encoded.count(); i++) {
                tasks.add(newSpan(batch, i, i + 1));
            }
            if (bounded) {
                queueEach(batch, tasks);
            } else {
                enqueue(tasks);
            }
        }
        return batch;
    }

    private TaskRecord newSpan(Batch batch, int from, int to) {
        TaskRecord span = new TaskRecord(taskIds.incrementAndGet(), batch, from, to);
        span.future.countIn(counters);
        // One callback: the pool's bookkeeping, then the batch (the span was counted as it completed).
        span.future.whenCompleteInline((ignored, error) -> {
            onTaskDone(span, error);
            batch.spanDone(span, error);
        });
        batch.track(span);
        return span;
    }

    /**
     * Queues a bounded batch's tasks one by one, each waiting for room. If one is refused, the
     * caller gets no future, so nobody could wait for or cancel the ones already queued: the
     * batch is cancelled before the refusal is thrown.
     */
    private void queueEach(Batch batch, List<TaskRecord> tasks) {
        for (int i = 0; i < tasks.size(); i++) {
            try {
                queue(tasks.get(i));
            } catch (RejectedExecutionException e) {
                for (TaskRecord unqueued : tasks.subList(i, tasks.size())) {
                    batch.untrack(unqueued); // never submitted: neither counted nor completed
                }
                batch.future.cancel(true);
                throw e;
            }
        }
    }

    private void queue(TaskRecord task) {
        // A task of a batch that failed fast may be cancelled before its turn; it is still queued
        // (the senders drop it) because its completion already counted it out of `outstanding`.
        if (!task.future.isDone() && pending.acquire(poolName)) {
            task.holdPermit();
            if (task.future.isDone() && task.releasePermit()) {
                pending.release(); // completed while we waited, before it held the permit
            }
        }
        try {
            enqueue(List.of(task));
        } catch (RejectedExecutionException e) {
            if (task.releasePermit()) {
                pending.release(); // its future never completes, so nothing else gives it back
            }
            throw e;
        }
    }

    private void enqueue(List<TaskRecord> tasks) {
        // Count first, then check: close() waits for outstanding to drain, so a task that passed
        // the check is always either drained or completed by the final sweep.
        outstanding.addAndGet(tasks.size());
        RejectedExecutionException refusal = intake.refusal();
        if (refusal != null) {
            outstanding.addAndGet(-tasks.size());
            throw refusal;
        }
        counters.submitted(TaskRecord.inputs(tasks));
        queue.addAll(tasks);
        abandonIfStopped(tasks);
    }

    /** Takes tasks just queued back out and abandons them if the pool has meanwhile stopped taking any. */
    private void abandonIfStopped(List<TaskRecord> tasks) {
        if (intake.abandoning()) {
            for (TaskRecord task : tasks) {
                if (queue.remove(task)) {
                    abandon(task);
                }
            }
        }
    }

    private void onTaskDone(TaskRecord task, Throwable error) {
        // Cancelled, or completed from outside (counted as cancelled, by the TaskFuture): stop it
        if (task.future.stopsTask() || error instanceof CancellationException) {
            TaskOwner owner = task.owner;
            if (owner != null) {
                owner.cancelled(task);
            }
        }
        if (task.releasePermit()) {
            pending.release(); // after completion, which counted it: a submitter that got room sees it counted
        }
        if (outstanding.decrementAndGet() == 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Completes a task the pool will not run: failed if the pool failed, else cancelled. */
    private void abandon(TaskRecord task) {
        PoolFailedException why = intake.failure();
        if (why != null) {
            task.future.fail(why);
        } else {
            task.future.fail(new CancellationException(task + " cancelled: pool "
                    + poolName + " closed before it completed"));
        }
    }

    // ---- the senders' side ---------------------------------------------------------------------

    @Override
    public int take(List<TaskRecord> into, int max, BooleanSupplier wake, IdleWorker worker)
            throws InterruptedException {
        return queue.take(into, max, wake, worker);
    }

    @Override
    public void wakeAll() {
        queue.wakeAll();
    }

    @Override
    public void putBack(TaskRecord task) {
        queue.addFirst(task);
        abandonIfStopped(List.of(task));
    }

    @Override
    public long newTaskId() {
        return taskIds.incrementAndGet();
    }

    @Override
    public void cut(TaskRecord span, int inputs) {
        TaskRecord rest;
        synchronized (span) { // against its completion, which counts its size (TaskFuture)
            if (span.future.isSettled()) {
                return; // completed meanwhile, counted whole: no rest to queue
            }
            outstanding.incrementAndGet(); // before the rest exists: its completion counts it out
            rest = newSpan(span.batch, span.from + inputs, span.to);
            span.to = span.from + inputs;
        }
        requeue(List.of(rest));
    }

    // ---- a dead worker's tasks (supervisor thread) ---------------------------------------------

    /**
     * Settles the tasks a dead worker held by the fates {@link OrphanFates} decides.
     *
     * @param orphans the tasks it held, running one first
     * @param crash the report of the running task's crash, or {@code null} if the worker did not
     *     crash (the pool ended it)
     * @param poolRunsTasks whether the pool still runs tasks
     */
    public void settle(List<TaskRecord> orphans, Function<TaskRecord, WorkerCrashedException> crash,
            boolean poolRunsTasks) {
        List<OrphanFates.Orphan> facts = new ArrayList<>(orphans.size());
        for (TaskRecord task : orphans) {
            facts.add(new OrphanFates.Orphan(task.future.isDone(), task.crashes.size(), task.maxAttempts));
        }
        List<OrphanFates.Fate> fates = OrphanFates.decide(facts, crash != null, poolRunsTasks);
        List<TaskRecord> requeue = new ArrayList<>();
        List<TaskRecord> retries = new ArrayList<>();
        for (int i = 0; i < orphans.size(); i++) {
            TaskRecord task = orphans.get(i);
            switch (fates.get(i)) {
                case SETTLED:
                    break;
                case ABANDON:
                    abandon(task);
                    break;
                case REQUEUE:
                    requeue.add(task);
                    break;
                case RETRY_ALONE:
                    retries.addAll(retryAlone(task, crash.apply(task)));
                    break;
                case FAIL_CRASHED:
                case FAIL_POISON:
                    task.crashes.add(crash.apply(task));
                    LOG.warn("pool {}: {} failed: its worker died on each of its {} attempt(s)", poolName, task,
                            task.maxAttempts);
                    task.future.fail(fates.get(i) == OrphanFates.Fate.FAIL_CRASHED
                            ? task.crashes.get(0) : new PoisonTaskException(task.id(), task.type.name(), task.crashes));
                    break;
                default:
                    throw new AssertionError(fates.get(i));
            }
        }
        if (!requeue.isEmpty()) {
            requeue(requeue);
        }
        if (!retries.isEmpty()) {
            // A charged retry goes to the tail, not the head: at the head it would be the first task
            // of the next worker, most likely a cold one, and a task that kept landing first on
            // workers killed from outside would be charged for every one of those deaths, an
            // innocent task failing as poison. From the tail, a death charges whichever task runs.
            queue.addAll(retries);
            abandonIfStopped(retries);
        }
    }

    /**
     * The tasks that retry a crashed one with its next attempt: the task itself, and, if it was a
     * chunk of a batch, each of its other inputs on its own. Each carries the crash.
     */
    private List<TaskRecord> retryAlone(TaskRecord task, WorkerCrashedException crash) {
        task.crashes.add(crash);
        task.attempt++;
        List<TaskRecord> retries = new ArrayList<>(task.size());
        retries.add(task);
        if (task.isChunk()) {
            synchronized (task) { // against its completion, which counts its size (TaskFuture)
                if (task.future.isSettled()) {
                    return List.of(); // cancelled meanwhile, counted whole: nothing to retry
                }
                outstanding.addAndGet(task.size() - 1); // before they exist: their completions count them out
                for (int i = task.from + 1; i < task.to; i++) {
                    TaskRecord alone = newSpan(task.batch, i, i + 1);
                    alone.crashes.addAll(task.crashes);
                    alone.attempt = task.attempt;
                    retries.add(alone);
                }
                task.to = task.from + 1;
            }
        }
        counters.retried(retries.size());
        LOG.warn("pool {}: retrying {} (attempt {} of {}{})", poolName, task, task.attempt, task.maxAttempts,
                retries.size() > 1 ? ", and " + (retries.size() - 1) + " more inputs of its chunk one by one" : "");
        return retries;
    }

    /** Puts tasks back at the head of the queue, in their order; abandons them if the pool has just stopped. */
    private void requeue(List<TaskRecord> tasks) {
        for (int i = tasks.size() - 1; i >= 0; i--) {
            queue.addFirst(tasks.get(i));
        }
        abandonIfStopped(tasks);
    }

    // ---- closing -------------------------------------------------------------------------------

    /** Abandons every queued task: failed with the pool's failure, or cancelled. */
    public void abandonQueued() {
        TaskRecord task;
        while ((task = queue.pollFirst()) != null) {
            abandon(task);
        }
    }

    /** Wakes every submitter waiting for room; they are refused. */
    public void closeIntake() {
        pending.close();
    }

    /**
     * Waits until no task is outstanding, the deadline passes or {@code stop} says to stop waiting.
     *
     * @return whether nothing is outstanding
     * @param deadlineNanos when to give up, by {@link System#nanoTime()}
     * @param stop checked whenever the waiter is woken; true ends the wait
     */
    public synchronized boolean awaitDrained(long deadlineNanos, BooleanSupplier stop) {
        while (outstanding.get() > 0 && !stop.getAsBoolean()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return outstanding.get() == 0;
    }

    /** Wakes {@link #awaitDrained} so that it looks at its stop condition again. */
    public synchronized void wakeDrainWaiters() {
        notifyAll();
    }

    /** @return tasks submitted and not yet completed */
    public long outstanding() {
        return outstanding.get();
    }

    /** @return the inputs waiting for a worker */
    public long queuedInputs() {
        return queue.inputs();
    }
}
