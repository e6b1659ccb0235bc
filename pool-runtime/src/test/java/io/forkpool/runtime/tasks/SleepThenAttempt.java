package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import io.forkpool.TaskContext;

/** Sleeps the given milliseconds, then returns its attempt number. */
public final class SleepThenAttempt implements Task<Integer, Integer> {

    @Override
    public Integer execute(Integer millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return TaskContext.current().orElseThrow().attempt();
    }
}
