package io.forkpool.internal.worker;

import io.forkpool.internal.protocol.Frame;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Who of the worker's two serving threads reads frames and who runs tasks, and the tasks received
 * and not yet started, all under one lock ({@link WorkerLoop} says why). Each method is one
 * transition, made by the thread it names.
 *
 * <p>At most one thread holds the <em>reader</em> role (it alone uses the {@code FrameReader}) and
 * at most one the <em>runner</em> role (it alone calls {@code TaskRunner.run}); no thread holds
 * both. So the roles are always one of: a reader and no runner (the other thread idle); a reader
 * and a runner; a runner and no reader, which is how a task runs inline on the thread that read it
 * (the other thread idle). The reader role is free only while a runner exists: a reader gives it up
 * only to become the runner, and a runner that runs out of tasks takes it back if it is still free.
 *
 * <p>Nothing here wakes the idle thread except {@link #end}: a task that runs inline costs no
 * wake-up at all. The idle thread wakes on its own once per takeover period instead, and if it
 * then finds a runner and no reader it takes the reader role ({@link #idle}), so frames are read
 * again (a PING answered, a CANCEL delivered) within that period of a long task's start.
 */
final class Roles {

    /** Returned instead of a task: the caller now holds the reader role. */
    static final Frame READ = marker();
    /** Returned instead of a task: the caller holds no role; it waits in {@link #idle}. */
    static final Frame IDLE = marker();
    /** Returned instead of a task: the worker has ended; the caller's thread ends. */
    static final Frame END = marker();

    private final long takeoverNanos;
    private final ArrayDeque<Frame> tasks = new ArrayDeque<>();
    private Thread reader;
    private Thread runner;
    private boolean ended;
    private long takeovers;

    /**
     * @param takeoverNanos how long the idle thread waits before it looks for a reader role to
     *     take; positive
     */
    Roles(long takeoverNanos) {
        if (takeoverNanos <= 0) {
            throw new IllegalArgumentException("takeover period must be positive: " + takeoverNanos);
        }
        this.takeoverNanos = takeoverNanos;
    }

    private static Frame marker() {
        return new Frame(0, 0, Frame.EMPTY);
    }

    /** @return whether {@code next} is one of {@link #READ}, {@link #IDLE}, {@link #END} rather than a task */
    static boolean isRole(Frame next) {
        return next == READ || next == IDLE || next == END;
    }

    /**
     * A serving thread's first step: it takes the reader role if nobody holds a role yet.
     *
     * @param me the calling thread
     * @return {@link #READ}, {@link #IDLE} or {@link #END}
     */
    synchronized Frame start(Thread me) {
        if (ended) {
            return END;
        }
        if (reader == null && runner == null) {
            reader = me;
            return READ;
        }
        return IDLE;
    }

    /**
     * The reader queues a task it received; nobody is woken for it.
     *
     * @param task a TASK or BATCH frame
     */
    synchronized void received(Frame task) {
        tasks.add(task);
    }

    /**
     * The reader has handled every frame it had decoded. If tasks wait and nobody runs them, it
     * gives up the reader role, becomes the runner and gets the oldest task, to run inline.
     *
     * @param me the calling thread, the reader
     * @return the task to run, {@link #END}, or {@code null}: the caller reads on
     */
    synchronized Frame readerDrained(Thread me) {
        if (ended) {
            return END;
        }
        if (runner != null || tasks.isEmpty()) {
            return null;
        }
        reader = null;
        runner = me;
        return tasks.poll();
    }

    /**
     * The runner has written a task's reply (PROTOCOL.md 4.2): it runs the next task if one waits;
     * else it gives up the runner role and takes the reader role back if that is free, or goes idle.
     *
     * @param me the calling thread, the runner
     * @return the next task, {@link #READ}, {@link #IDLE} or {@link #END}
     */
    synchronized Frame ran(Thread me) {
        if (ended) {
            return END;
        }
        Frame next = tasks.poll();
        if (next != null) {
            return next;
        }
        runner = null;
        if (reader == null) {
            reader = me;
            return READ;
        }
        return IDLE;
    }

    /**
     * Waits, holding no role, until the worker ends or, checking once per takeover period, a
     * runner works with nobody reading: then takes the reader role (a takeover).
     *
     * @param me the calling thread
     * @return {@link #READ} or {@link #END}
     */
    synchronized Frame idle(Thread me) {
        long deadline = System.nanoTime() + takeoverNanos;
        while (!ended) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                if (reader == null) {
                    reader = me;
                    if (runner != null) {
                        takeovers++;
                    }
                    return READ;
                }
                deadline = now + takeoverNanos;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, deadline - now);
            } catch (InterruptedException e) {
                // Nothing interrupts an idle thread on purpose (the end notifies it); a stray
                // interrupt is consumed here, so it cannot close the channel in a later read.
            }
        }
        return END;
    }

    /**
     * Ends the worker's roles: every later transition answers {@link #END}, and the idle thread is
     * woken to see it.
     *
     * @return the thread running a task, to interrupt, or {@code null}
     */
    synchronized Thread end() {
        ended = true;
        tasks.clear();
        notifyAll();
        return runner;
    }

    /** @return how often the idle thread took the reader role from under a running task */
    synchronized long takeovers() {
        return takeovers;
    }
}
