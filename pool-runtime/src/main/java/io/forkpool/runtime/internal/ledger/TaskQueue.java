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
 * <p><b>Straight to an idle worker.</b> A sender waiting here with nothing queued is an idle
 * worker ({@link IdleWorker}). A single task added while the queue is empty goes to the idle worker
 * that waited last, written by the adding thread itself ({@link IdleWorker#offer}), so a round trip
 * on an idle pool costs no wake-up of a sender thread. Only when no idle worker takes it is the task
 * queued and a sender woken. The offer runs outside the lock, and one idle worker is lent to one
 * adding thread at a time.
 *
 * <p>Thread-safe: one lock, held briefly; the only wait is in {@link #take}.
 */
final class TaskQueue {

    /** The largest encoded input written on the adding thread: far below any socket's buffer. */
    static final int DIRECT_MAX_BYTES = 16 * 1024;

    /** A sender waiting in {@link #take}; {@code lent} while an adding thread offers it a task. */
    private static final class Waiter {
        final IdleWorker worker;
        boolean lent; // guarded by lock

        Waiter(IdleWorker worker) {
            this.worker = worker;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<TaskRecord> deque = new ArrayDeque<>(); // guarded by lock
    /** Senders waiting with nothing queued, the latest first (its thread and caches are warmest). */
    private final ArrayDeque<Waiter> idle = new ArrayDeque<>(); // guarded by lock
    private long inputs; // guarded by lock

    /**
     * Appends tasks at the tail, in their order; a single task of one input, when nothing is
     * queued, is first offered to an idle worker on this thread.
     */
    void addAll(List<TaskRecord> tasks) {
        if (tasks.size() == 1 && offerToIdle(tasks.get(0))) {
            return;
        }
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

    /** @return whether an idle worker took the task */
    private boolean offerToIdle(TaskRecord task) {
        if (task.size() != 1 || task.firstInputLength() > DIRECT_MAX_BYTES) {
            return false;
        }
        Waiter waiter = null;
        lock.lock();
        try {
            if (!deque.isEmpty()) {
                return false; // those go first
            }
            for (Waiter w : idle) {
                if (!w.lent) {
                    w.lent = true;
                    waiter = w;
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (waiter == null) {
            return false;
        }
        try {
            return waiter.worker.offer(task);
        } finally {
            lock.lock();
            try {
                waiter.lent = false;
            } finally {
                lock.unlock();
            }
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
     * @param worker offered single tasks while the caller waits, or {@code null}
     * @return how many tasks were moved, 0 if woken with none
     * @throws InterruptedException if the waiting thread is interrupted
     */
    int take(List<TaskRecord> into, int max, BooleanSupplier wake, IdleWorker worker) throws InterruptedException {
        lock.lockInterruptibly();
        Waiter waiter = null;
        try {
            while (deque.isEmpty()) {
                if (wake.getAsBoolean()) {
                    return 0;
                }
                if (waiter == null && worker != null) {
                    waiter = new Waiter(worker);
                    idle.addFirst(waiter);
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
            if (waiter != null) {
                idle.remove(waiter); // by identity; at most a pool's worker count to look through
            }
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

    /** @return how many senders wait with nothing queued (for tests) */
    int idleWorkers() {
        lock.lock();
        try {
            return idle.size();
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
