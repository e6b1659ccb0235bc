package io.forkpool.cluster.tasks;

import io.forkpool.Task;

/** Sleeps the given milliseconds and answers them: a task that takes time but no CPU. */
public final class Sleep implements Task<Integer, Integer> {

    @Override
    public Integer execute(Integer millis) throws InterruptedException {
        Thread.sleep(millis); // the task's duration, the stimulus its tests ask for
        return millis;
    }
}
