package io.forkpool.runtime.internal.fake;

import io.forkpool.runtime.internal.worker.WorkerLink;
import io.forkpool.runtime.internal.worker.WorkerSpawner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/** Spawns {@link FakeWorker}s and keeps every one, in spawn order, for the test to act on. */
public final class FakeSpawner implements WorkerSpawner {

    private final int maxFrameLength;
    private final LinkedBlockingQueue<FakeWorker> spawned = new LinkedBlockingQueue<>();
    final List<FakeWorker> all = new CopyOnWriteArrayList<>();
    /** Given the spawn number from 1, whether that worker connects; one that does not never says hello. */
    volatile IntPredicate connects = n -> true;
    volatile boolean closed;

    FakeSpawner(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public WorkerLink spawn(int slot, int incarnation) throws IOException {
        FakeWorker worker = new FakeWorker(slot, incarnation, connects.test(all.size() + 1), maxFrameLength);
        all.add(worker);
        spawned.add(worker);
        return worker;
    }

    /** @return the next worker spawned that the test has not taken yet, waiting for it */
    public FakeWorker next() throws InterruptedException {
        FakeWorker worker = spawned.poll(10, TimeUnit.SECONDS);
        if (worker == null) {
            throw new AssertionError("no worker was spawned within 10 s");
        }
        return worker;
    }

    /** @return the worker spawned n-th, from 0, waiting up to a bound for it */
    public FakeWorker get(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (all.size() <= n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("worker " + n + " was not spawned within 10 s");
            }
            Thread.onSpinWait();
            Thread.sleep(1); // polling a condition with a deadline
        }
        return all.get(n);
    }

    @Override
    public String program() {
        return "fake";
    }

    @Override
    public void close() {
        closed = true;
    }
}
