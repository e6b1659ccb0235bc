package io.forkpool.runtime.internal;

import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pool's one shared queue of tasks waiting for a worker, which also knows how many inputs it
 * holds: a batch waits as one span of many inputs, so the deque's own size would say 1 for a
 * batch of a million. The count is added before a task goes in and taken off after it came out,
 * so it is never below the truth; while a sender cuts a span, it may be briefly above it.
 */
final class TaskQueue {

    private final LinkedBlockingDeque<TaskRecord> deque = new LinkedBlockingDeque<>();
    private final LongAdder inputs = new LongAdder();

    /** Appends tasks at the tail, in their order. */
    void addAll(List<TaskRecord> tasks) {
        inputs.add(TaskRecord.inputs(tasks));
        deque.addAll(tasks);
    }

    /** Puts a task at the head: it goes out next. */
    void addFirst(TaskRecord task) {
        inputs.add(task.size());
        deque.addFirst(task);
    }

    /** @return whether the task was queued and is now removed */
    boolean remove(TaskRecord task) {
        if (deque.remove(task)) {
            inputs.add(-task.size());
            return true;
        }
        return false;
    }

    /** @return the head, removed, or {@code null} if the queue is empty */
    TaskRecord pollFirst() {
        TaskRecord task = deque.pollFirst();
        if (task != null) {
            inputs.add(-task.size());
        }
        return task;
    }

    /** @return the head, removed, once there is one */
    TaskRecord takeFirst() throws InterruptedException {
        TaskRecord task = deque.takeFirst();
        inputs.add(-task.size());
        return task;
    }

    /** Moves up to {@code max} tasks from the head to {@code into}, under one lock. */
    void drainTo(List<TaskRecord> into, int max) {
        int from = into.size();
        deque.drainTo(into, max);
        for (int i = from; i < into.size(); i++) {
            inputs.add(-into.get(i).size());
        }
    }

    /** @return the inputs waiting, a batch's each counted */
    long inputs() {
        return Math.max(0, inputs.sum());
    }
}
