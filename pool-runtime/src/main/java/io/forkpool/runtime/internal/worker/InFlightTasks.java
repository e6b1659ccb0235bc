package io.forkpool.runtime.internal.worker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The tasks one worker process holds, in the order they were written to it. The worker runs them
 * in that order, so the first entry is the one running: it is the one whose timeout clock runs,
 * and the one that used up an attempt if the worker dies. Whoever removes a task from here — a
 * reply ({@link #answer}) or the exit handler ({@link #close}) — is the one that completes or
 * re-queues it.
 *
 * <p>Thread-safe: every method holds this object's monitor; the sender admits, the io thread
 * answers, the supervisor thread checks and closes.
 */
final class InFlightTasks {

    /** What {@link #admit} did with a batch. */
    enum Admission {
        /** Written tasks registered; keep pulling. */
        OPEN,
        /** Registered what fits; the process has all the tasks it will ever run. */
        FULL,
        /** Nothing registered, everything put back: the process no longer takes tasks. */
        CLOSED
    }

    private final long maxTasks;
    private final Consumer<TaskRecord> onStart;
    private final LongSupplier clock;
    private final LinkedHashMap<Long, TaskRecord> tasks = new LinkedHashMap<>();
    private boolean accepting = true;
    private long admitted;

    /**
     * @param maxTasks the most tasks this process may ever be given, or 0 for no limit
     * @param onStart called, under this object's monitor, when a task becomes the running one
     * @param clock the supervisor's clock, which stamps when tasks start and are answered
     */
    InFlightTasks(long maxTasks, Consumer<TaskRecord> onStart, LongSupplier clock) {
        this.maxTasks = maxTasks;
        this.onStart = onStart;
        this.clock = clock;
    }

    /**
     * Registers a batch the sender took from the queue. Tasks already completed (cancelled while
     * queued) are dropped from the batch; tasks past the process's task limit, or all of them once it
     * stopped accepting, go back to the head of the queue in their order, through {@code putBackFirst}. The batch is left holding exactly the tasks to write.
     *
     * @return what happened
     */
    synchronized Admission admit(List<TaskRecord> batch, Consumer<TaskRecord> putBackFirst) {
        if (!accepting) {
            putBack(batch, 0, putBackFirst);
            return Admission.CLOSED;
        }
        Admission admission = Admission.OPEN;
        List<TaskRecord> admittedNow = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            TaskRecord task = batch.get(i);
            if (task.future.isDone()) {
                continue;
            }
            if (maxTasks > 0 && admitted >= maxTasks) {
                putBack(batch, i, putBackFirst);
                admission = Admission.FULL;
                break;
            }
            task.startedNanos = 0;
            tasks.put(task.id(), task);
            admitted++;
            admittedNow.add(task);
        }
        if (maxTasks > 0 && admitted >= maxTasks) {
            admission = Admission.FULL;
        }
        batch.clear();
        batch.addAll(admittedNow);
        startFirst(clock.getAsLong());
        return admission;
    }

    private static void putBack(List<TaskRecord> batch, int from, Consumer<TaskRecord> putBackFirst) {
        for (int j = batch.size() - 1; j >= from; j--) {
            TaskRecord task = batch.get(j);
            if (!task.future.isDone()) {
                putBackFirst.accept(task);
            }
        }
    }

    /**
     * Removes an answered task, stamps its {@code answeredNanos} (how long it was the running one,
     * {@code serviceNanos()}, follows), and starts the clock of the next one.
     *
     * @return the task, or {@code null} if this process does not hold it (a protocol violation)
     */
    synchronized TaskRecord answer(long taskId) {
        TaskRecord task = tasks.remove(taskId);
        if (task != null) {
            long now = clock.getAsLong();
            task.answeredNanos = now;
            task.stopClock();
            startFirst(now);
        }
        return task;
    }

    /** @return the task with this id if this process holds it, else {@code null}; it stays held */
    synchronized TaskRecord peek(long taskId) {
        return tasks.get(taskId);
    }

    /** Takes no more tasks; what is held stays until answered or closed. */
    synchronized void stopAccepting() {
        accepting = false;
    }

    synchronized int size() {
        return tasks.size();
    }

    synchronized boolean isEmpty() {
        return tasks.isEmpty();
    }

    synchronized boolean holds(TaskRecord task) {
        return tasks.get(task.id()) == task;
    }

    /** @return how long the task has been running, or -1 if it is not the running one */
    synchronized long runningNanos(TaskRecord task, long nowNanos) {
        Iterator<TaskRecord> it = tasks.values().iterator();
        return it.hasNext() && it.next() == task && task.startedNanos != 0 ? nowNanos - task.startedNanos : -1;
    }

    /** Stops accepting and hands over every task still held, running one first; stops their clocks. */
    synchronized List<TaskRecord> close() {
        accepting = false;
        List<TaskRecord> orphans = new ArrayList<>(tasks.values());
        tasks.clear();
        orphans.forEach(TaskRecord::stopClock);
        return orphans;
    }

    private void startFirst(long nowNanos) {
        Iterator<TaskRecord> it = tasks.values().iterator();
        if (it.hasNext()) {
            TaskRecord first = it.next();
            if (first.startedNanos == 0) {
                first.startedNanos = nowNanos;
                onStart.accept(first);
            }
        }
    }
}
