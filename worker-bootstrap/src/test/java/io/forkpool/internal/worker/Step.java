package io.forkpool.internal.worker;

import io.forkpool.Task;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test task that lets a test see which inputs of a batch ran: it counts its runs and returns
 * its input doubled; -1 throws; 0 signals {@link #PARKED} and sleeps until interrupted.
 */
public final class Step implements Task<Integer, Integer> {

    static final AtomicInteger RUNS = new AtomicInteger();
    static volatile CountDownLatch PARKED = new CountDownLatch(1);

    @Override
    public Integer execute(Integer input) throws InterruptedException {
        RUNS.incrementAndGet();
        if (input == -1) {
            throw new IllegalStateException("step refuses -1");
        }
        if (input == 0) {
            PARKED.countDown();
            Thread.sleep(60_000);
        }
        return input * 2;
    }
}
