package io.forkpool.internal.worker;

import io.forkpool.Task;
import java.util.concurrent.CountDownLatch;

/**
 * A test task that holds the task thread until the test lets it go: it counts {@link #STARTED}
 * down, waits for {@link #RELEASE} and returns its input. Tests that use it call {@link #reset}
 * first.
 */
public final class Gate implements Task<String, String> {

    static volatile CountDownLatch STARTED = new CountDownLatch(1);
    static volatile CountDownLatch RELEASE = new CountDownLatch(1);

    static void reset() {
        STARTED = new CountDownLatch(1);
        RELEASE = new CountDownLatch(1);
    }

    @Override
    public String execute(String input) throws InterruptedException {
        STARTED.countDown();
        RELEASE.await();
        return input;
    }
}
