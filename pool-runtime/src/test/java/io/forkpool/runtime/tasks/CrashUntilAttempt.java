package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import io.forkpool.TaskContext;

/** Halts its worker (exit 99) on every attempt before the given one; then returns the attempt number. */
public final class CrashUntilAttempt implements Task<Integer, Integer> {

    @Override
    public Integer execute(Integer succeedOnAttempt) {
        int attempt = TaskContext.current().orElseThrow().attempt();
        if (attempt < succeedOnAttempt) {
            System.err.println("crashing on attempt " + attempt);
            System.err.flush();
            Runtime.getRuntime().halt(99);
        }
        return attempt;
    }
}
