package io.forkpool.internal.worker;

import io.forkpool.Task;
import io.forkpool.TaskContext;
import java.util.concurrent.CountDownLatch;

/** Sleeps the given milliseconds; on interrupt, rethrows noting what its context said. */
public final class Sleep implements Task<Long, String> {

    /** Counted down when a sleep starts, for tests that must know it runs; {@link #reset} first. */
    static volatile CountDownLatch started = new CountDownLatch(1);

    static void reset() {
        started = new CountDownLatch(1);
    }

    @Override
    public String execute(Long millis) throws InterruptedException {
        TaskContext context = TaskContext.current().orElseThrow();
        started.countDown();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            InterruptedException noted = new InterruptedException("cancelled=" + context.isCancelled());
            noted.initCause(e);
            throw noted;
        }
        return "task " + context.taskId() + " attempt " + context.attempt() + " worker " + context.workerId();
    }
}
