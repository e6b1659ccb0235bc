package io.forkpool.runtime.internal.ledger;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The pool's one shared queue of tasks waiting for a worker, which also knows how many inputs it
 * holds: a batch waits as one span of many inputs, so the deque's own size would say 1 for a
 * batch of a million. The count changes under the same lock as the deque, so it is exact.
 *
 * <p>Senders wait here for work, and can be woken without an interrupt ({@link #wakeAll}) when
 * they have something else to do, such as a control frame to write: an interrupt during a write
 * would have NIO close the worker's channel.
 *
 * <p>Thread-safe: one lock, held briefly; the only wait is in {@link #take}.
 */
final class TaskQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<TaskRecord> deque = new ArrayDeque<>(); // guarded by lock
    private long inputs; // guarded by lock

    /** Appends tasks at the tail, in their order. */
    void addAll(List<TaskRecord> tasks) {
        lock.lock();
        try {
            for (TaskRecord task : tasks) {
                deque.addLast(task);
                inputs += task.size();
            }
            signalTakers(tasks.size());
        } finally {
            lock.unlock();
        }
    }

    /** Puts a task at the head: it goes out next. */
    void addFirst(TaskRecord task) {
        lock.lock();
        try {
            deque.addFirst(task);
            inputs += task.size();
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes as many waiting senders as there are new tasks, not all: any one may take a task. */
    private void signalTakers(int tasks) {
        if (tasks == 1) {
            changed.signal();
        } else {
            changed.signalAll();
        }
    }

    /** @return whether the task was queued and is now removed */
    boolean remove(TaskRecord task) {
        lock.lock();
        try {
            if (deque.remove(task)) {
                inputs -= task.size();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** @return the head, removed, or {@code null} if the queue is empty */
    TaskRecord pollFirst() {
        lock.lock();
        try {
            TaskRecord task = deque.pollFirst();
            if (task != null) {
                inputs -= task.size();
            }
            return task;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until there is a task or {@code wake} says to stop waiting, then moves up to
     * {@code max} tasks from the head to {@code into}.
     *
     * @param max at least 1
     * @param wake read under the lock whenever the waiter is woken; true ends the wait
     * @return how many tasks were moved, 0 if woken with none
     * @throws InterruptedException if the waiting thread is interrupted
     */
    int take(List<TaskRecord> into, int max, BooleanSupplier wake) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (deque.isEmpty()) {
                if (wake.getAsBoolean()) {
                    return 0;
                }
                changed.await();
            }
            int moved = 0;
            while (moved < max && !deque.isEmpty()) {
                TaskRecord task = deque.pollFirst();
                inputs -= task.size();
                into.add(task);
                moved++;
            }
            return moved;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting sender, so that each looks at its {@code wake} condition again. */
    void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return the inputs waiting, a batch's each counted */
    long inputs() {
        lock.lock();
        try {
            return inputs;
        } finally {
            lock.unlock();
        }
    }
}
