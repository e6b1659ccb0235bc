package io.forkpool.runtime.internal.worker;

import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.runtime.internal.ledger.IdleWorker;
import io.forkpool.runtime.internal.ledger.TaskOwner;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import io.forkpool.runtime.internal.ledger.TaskSource;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The body of a worker's {@code -sender} thread, which writes everything to that worker but the
 * single tasks submitting threads write to it while it is idle ({@link #offer}). It refills the worker from the pool's queue whenever it holds at most half its
 * {@link Prefetch} depth, and writes the control frames (CANCEL, PING, SHUTDOWN) other threads
 * hand it through {@link #control}. A write that blocks — a worker that stopped reading — blocks
 * this thread alone: the supervisor thread and every other worker go on, and the worker's death
 * closes the channel under the write.
 *
 * <p>It is never interrupted (an interrupted NIO write closes the channel); it is woken through
 * the conditions it waits on instead ({@link #wake}).
 *
 * <p><b>Written by the submitting thread.</b> While this thread waits for work with nothing queued,
 * a task submitted to the pool may be written by the submitting thread itself ({@link #offer}),
 * if the worker holds no task: then the socket holds no unread task frame, so a frame of a few
 * kilobytes cannot block, and the task reaches the worker without this thread's wake-up. Every
 * write, this thread's and a submitter's, holds {@link #writeLock}, so frames never interleave.
 * A submitting thread interrupted during its write has NIO close the channel: the worker is then
 * ended as retired ({@code onWriteInterrupted}), and its task re-queued free, as the pool's own
 * decision rather than a crash.
 */
final class Sender implements Runnable, IdleWorker {

    private record Control(int type, long correlationId) {
    }

    private final FrameWriter writer;
    private final TaskSource source;
    private final Prefetch prefetch;
    private final InFlightTasks inFlight;
    private final TaskOwner owner;
    private final int workers;
    private final int maxFrameLength;
    private final boolean acceptsBatches;
    private final Consumer<String> onWriteFailed;
    private final Consumer<String> onWriteInterrupted;
    /** Held by every write to the worker: this thread's, or a submitting thread's ({@link #offer}). */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Control> control = new ConcurrentLinkedQueue<>();
    /** Set once it takes no more tasks (retiring, full, stopping); control frames still go out. */
    private volatile boolean pullingStopped;
    /** Set once it is to end, after the control frames queued before. */
    private volatile boolean stopping;

    Sender(FrameWriter writer, TaskSource source, Prefetch prefetch, InFlightTasks inFlight, TaskOwner owner,
            int workers, int maxFrameLength, boolean acceptsBatches, Consumer<String> onWriteFailed,
            Consumer<String> onWriteInterrupted) {
        this.writer = writer;
        this.source = source;
        this.prefetch = prefetch;
        this.inFlight = inFlight;
        this.owner = owner;
        this.workers = workers;
        this.maxFrameLength = maxFrameLength;
        this.acceptsBatches = acceptsBatches;
        this.onWriteFailed = onWriteFailed;
        this.onWriteInterrupted = onWriteInterrupted;
    }

    /** Queues a control frame for the worker; any thread, never blocks. */
    void control(int type, long correlationId) {
        control.add(new Control(type, correlationId));
        wake();
    }

    /** Takes tasks from now on: a spare put to work. Before, it was built with {@link #stopPulling} called. */
    void startPulling() {
        pullingStopped = false;
        wake();
    }

    /** Takes no more tasks; control frames still go out. */
    void stopPulling() {
        pullingStopped = true;
        wake();
    }

    /** Writes the control frames queued so far, then ends; {@code shutdown} first queues a SHUTDOWN. */
    void stop(boolean shutdown) {
        if (shutdown) {
            control.add(new Control(FrameType.SHUTDOWN, 0));
        }
        pullingStopped = true;
        stopping = true;
        wake();
    }

    private boolean hasWork() {
        return stopping || !control.isEmpty();
    }

    private void wake() {
        synchronized (this) {
            notifyAll();
        }
        prefetch.wake();
        source.wakeAll();
    }

    @Override
    public void run() {
        List<TaskRecord> batch = new ArrayList<>();
        try {
            while (true) {
                writeControl();
                if (stopping) {
                    writeControl(); // what was queued before the stop
                    return;
                }
                if (pullingStopped) {
                    awaitControl();
                    continue;
                }
                if (!prefetch.awaitRoom(this::hasWork)
                        || source.take(batch, Math.max(1, prefetch.room()), this::hasWork, this) == 0
                        || !keepRoomFor(batch)) {
                    continue; // woken for a control frame, or a submitter filled the worker meanwhile
                }
                writeLock.lock();
                try {
                    sendTasks(batch);
                } finally {
                    writeLock.unlock();
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            onWriteFailed.accept("write to worker failed: " + e);
        }
    }

    /**
     * Writes one task on the calling (submitting) thread if the worker holds none; see the class
     * comment. Never waits for the lock: a sender that is writing is not idle.
     */
    @Override
    public boolean offer(TaskRecord task) {
        if (pullingStopped || Thread.currentThread().isInterrupted() || !writeLock.tryLock()) {
            return false;
        }
        try {
            if (pullingStopped || !inFlight.isEmpty()) {
                return false;
            }
            List<TaskRecord> one = new ArrayList<>(1); // admit() edits the list it is given
            one.add(task);
            sendTasks(one);
            return true;
        } catch (ClosedByInterruptException e) {
            onWriteInterrupted.accept("a thread that was writing a task to it was interrupted, which closed its channel");
            return true;
        } catch (IOException e) {
            onWriteFailed.accept("write to worker failed: " + e);
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Gives back, to the head of the queue and in their order, the tasks taken beyond the worker's
     * room now: while this thread waited in the queue, submitters may have written tasks to the
     * worker ({@link #offer}), so the room it took for is no longer all there.
     *
     * @return whether any task is left to send
     */
    private boolean keepRoomFor(List<TaskRecord> batch) {
        int room = prefetch.room();
        for (int i = batch.size() - 1; i >= room; i--) {
            source.putBack(batch.remove(i));
        }
        return !batch.isEmpty();
    }

    /** Waits for a control frame, the stop, or (a spare's) leave to pull. */
    private synchronized void awaitControl() throws InterruptedException {
        while (!hasWork() && pullingStopped) {
            wait();
        }
    }

    private void sendTasks(List<TaskRecord> batch) throws IOException {
        long now = System.nanoTime();
        for (TaskRecord task : batch) {
            if (task.size() > 1 && !task.future.isDone()) { // a cancelled span is dropped whole
                int chunk = acceptsBatches ? ChunkSizer.chunkSize(task, workers, maxFrameLength) : 1;
                if (chunk < task.size()) {
                    source.cut(task, chunk);
                }
            }
            task.prepareSend(source); // a fresh id if it was sent before: ids are never reused (PROTOCOL.md 4.1)
            task.owner = owner; // so a cancellation finds it from now on
            task.sentNanos = now;
        }
        InFlightTasks.Admission admission = inFlight.admit(batch, source::putBack);
        if (admission == InFlightTasks.Admission.CLOSED) {
            pullingStopped = true;
            return;
        }
        prefetch.took(batch.size());
        for (TaskRecord task : batch) {
            task.appendTo(writer);
        }
        writer.flush();
        if (admission == InFlightTasks.Admission.FULL) {
            pullingStopped = true; // the last reply retires this worker
        }
    }

    private void writeControl() throws IOException {
        if (control.isEmpty()) {
            return;
        }
        writeLock.lock();
        try {
            Control frame;
            while ((frame = control.poll()) != null) {
                writer.append(frame.type(), frame.correlationId(), Frame.EMPTY);
            }
            writer.flush();
        } finally {
            writeLock.unlock();
        }
    }
}
