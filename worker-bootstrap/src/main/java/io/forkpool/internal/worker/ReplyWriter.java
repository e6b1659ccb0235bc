package io.forkpool.internal.worker;

import io.forkpool.internal.protocol.FrameWriter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The worker's outgoing frames, written by the task thread, with flushes deferred so that a burst
 * of tiny tasks shares one system call, and a guarantee that no reply waits long for its flush.
 *
 * <p>The task thread flushes itself when it has nothing more queued. When it goes on to the next
 * task with replies still buffered, it {@link #defer defers} the flush to a flusher thread that
 * writes them out {@link #MAX_DELAY_NANOS} later unless the task thread flushed first. Without
 * that guard a reply could sit in the buffer for as long as the next task runs: the caller would
 * wait for its result, and the supervisor, which takes the oldest unanswered task for the running
 * one, would start that task's timeout, and blame a crash on it, while a later task ran.
 *
 * <p>Thread-safe: appends and flushes hold one lock, uncontended except when the flusher acts.
 */
final class ReplyWriter {

    /** The longest a reply stays buffered after its task ended while the next task runs. */
    static final long MAX_DELAY_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final FrameWriter writer;
    private final Consumer<IOException> onFailure;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread flusher;
    /** When the oldest unflushed frame was appended, or 0 if none is; guarded by lock. */
    private long unflushedSince;
    /** Set when the flusher has a deadline to keep; read without the lock by the flusher. */
    private volatile boolean armed;
    private volatile boolean closed;

    /**
     * @param writer the frame writer, used only under this object's lock from now on
     * @param onFailure told when the flusher's write fails (the task thread's own writes throw)
     * @param threadName the flusher thread's name
     */
    ReplyWriter(FrameWriter writer, Consumer<IOException> onFailure, String threadName) {
        this.writer = writer;
        this.onFailure = onFailure;
        this.flusher = new Thread(this::flushLoop, threadName);
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    void append(int type, long correlationId, byte[] payload) throws IOException {
        lock.lock();
        try {
            writer.append(type, correlationId, payload);
            if (unflushedSince == 0) {
                unflushedSince = System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes every buffered frame now. */
    void flush() throws IOException {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The task thread moves on to another task with frames still buffered: make sure they go out
     * within {@link #MAX_DELAY_NANOS} even if that task runs long. Wakes the flusher once per burst.
     */
    void defer() {
        if (!armed) {
            armed = true;
            LockSupport.unpark(flusher);
        }
    }

    /** Stops the flusher; buffered frames are dropped (the worker is exiting). */
    void close() {
        closed = true;
        LockSupport.unpark(flusher);
    }

    private void flushLocked() throws IOException {
        if (unflushedSince != 0) {
            unflushedSince = 0;
            writer.flush();
        }
    }

    private void flushLoop() {
        while (!closed) {
            if (!armed) {
                LockSupport.park(this);
                continue;
            }
            long waitNanos;
            lock.lock();
            try {
                if (unflushedSince == 0) {
                    armed = false; // the task thread flushed first
                    continue;
                }
                waitNanos = unflushedSince + MAX_DELAY_NANOS - System.nanoTime();
                if (waitNanos <= 0) {
                    armed = false;
                    flushLocked();
                    continue;
                }
            } catch (IOException e) {
                closed = true;
                onFailure.accept(e);
                return;
            } finally {
                lock.unlock();
            }
            LockSupport.parkNanos(this, waitNanos);
        }
    }
}
