package io.forkpool.internal.worker;

import io.forkpool.Task;
import io.forkpool.TaskContext;

/** Sleeps the given milliseconds; on interrupt, rethrows noting what its context said. */
public final class Sleep implements Task<Long, String> {

    @Override
    public String execute(Long millis) throws InterruptedException {
        TaskContext context = TaskContext.current().orElseThrow();
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
