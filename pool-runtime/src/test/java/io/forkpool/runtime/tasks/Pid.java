package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/** Returns the pid of the worker that runs it, after sleeping the given milliseconds. */
public final class Pid implements Task<Integer, Long> {

    @Override
    public Long execute(Integer sleepMillis) throws InterruptedException {
        if (sleepMillis != null && sleepMillis > 0) {
            Thread.sleep(sleepMillis); // the task's duration, the stimulus its tests ask for
        }
        return ProcessHandle.current().pid();
    }
}
