package io.forkpool.runtime.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A single task reaches an idle worker on the adding thread, and only then; {@link TaskQueue#addAll}. */
@Timeout(10)
class TaskQueueDirectTest {

    private final TaskQueue queue = new TaskQueue();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> takers = new ArrayList<>();

    /** An idle worker that takes (or refuses) what it is offered and records the thread that offered it. */
    private static final class Recorder implements IdleWorker {
        final List<TaskRecord> offered = new CopyOnWriteArrayList<>();
        final List<Thread> offeringThreads = new CopyOnWriteArrayList<>();
        volatile boolean accept = true;

        @Override
        public boolean offer(TaskRecord task) {
            offered.add(task);
            offeringThreads.add(Thread.currentThread());
            return accept;
        }
    }

    @AfterEach
    void stopTakers() throws InterruptedException {
        stop.set(true);
        queue.wakeAll();
        for (Thread t : takers) {
            t.join(5_000);
            assertThat(t.isAlive()).isFalse();
        }
    }

    /** Starts a sender-like thread waiting in take; completes with what it took, once. */
    private CompletableFuture<List<TaskRecord>> waitingTaker(IdleWorker worker) throws InterruptedException {
        int before = queue.idleWorkers();
        CompletableFuture<List<TaskRecord>> took = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            List<TaskRecord> into = new ArrayList<>();
            try {
                if (queue.take(into, 10, stop::get, worker) > 0) {
                    took.complete(into);
                }
            } catch (InterruptedException e) {
                took.completeExceptionally(e);
            }
        }, "taker");
        t.setDaemon(true);
        takers.add(t);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (queue.idleWorkers() == before) { // waits on the queue's own state, not a guess
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.onSpinWait();
        }
        return took;
    }

    private static TaskRecord single(long id, int inputBytes) {
        return new TaskRecord(id, null, new byte[inputBytes], 1, null);
    }

    @Test
    void aSingleTaskOnAnEmptyQueueIsWrittenByTheAddingThreadAndNeverQueued() throws Exception {
        Recorder worker = new Recorder();
        CompletableFuture<List<TaskRecord>> took = waitingTaker(worker);
        TaskRecord task = single(1, 8);

        queue.addAll(List.of(task));

        assertThat(worker.offered).containsExactly(task);
        assertThat(worker.offeringThreads).containsExactly(Thread.currentThread());
        assertThat(queue.inputs()).isZero();
        assertThat(queue.idleWorkers()).isEqualTo(1); // still waiting: it was not woken
        assertThat(took).isNotDone();
    }

    @Test
    void aRefusedOfferIsQueuedAndWakesTheSender() throws Exception {
        Recorder worker = new Recorder();
        worker.accept = false; // e.g. the worker holds a task already
        CompletableFuture<List<TaskRecord>> took = waitingTaker(worker);
        TaskRecord task = single(1, 8);

        queue.addAll(List.of(task));

        assertThat(worker.offered).containsExactly(task);
        assertThat(took.get(5, TimeUnit.SECONDS)).containsExactly(task);
    }

    @Test
    void queuedTasksGoFirstSoNothingOvertakesThem() throws Exception {
        TaskRecord first = single(1, 8);
        queue.addAll(List.of(first)); // nobody idle: queued
        Recorder worker = new Recorder();
        TaskRecord second = single(2, 8);
        queue.addAll(List.of(second)); // the queue is not empty: queued behind, not offered

        assertThat(worker.offered).isEmpty();
        List<TaskRecord> into = new ArrayList<>();
        assertThat(queue.take(into, 10, () -> false, worker)).isEqualTo(2);
        assertThat(into).containsExactly(first, second);
    }

    @Test
    void severalTasksAtOnceAndLargeInputsTakeTheQueue() throws Exception {
        Recorder worker = new Recorder();
        CompletableFuture<List<TaskRecord>> took = waitingTaker(worker);
        TaskRecord large = single(1, TaskQueue.DIRECT_MAX_BYTES + 1);

        queue.addAll(List.of(large));

        assertThat(worker.offered).isEmpty();
        assertThat(took.get(5, TimeUnit.SECONDS)).containsExactly(large);

        Recorder second = new Recorder();
        CompletableFuture<List<TaskRecord>> tookTwo = waitingTaker(second);
        TaskRecord a = single(2, 8);
        TaskRecord b = single(3, 8);
        queue.addAll(List.of(a, b));
        assertThat(second.offered).isEmpty();
        assertThat(tookTwo.get(5, TimeUnit.SECONDS)).containsExactly(a, b);
    }

    @Test
    void theWorkerThatWaitedLastIsOfferedFirst() throws Exception {
        Recorder older = new Recorder();
        Recorder newer = new Recorder();
        waitingTaker(older);
        waitingTaker(newer);

        queue.addAll(List.of(single(1, 8)));

        assertThat(newer.offered).hasSize(1);
        assertThat(older.offered).isEmpty();
    }
}
