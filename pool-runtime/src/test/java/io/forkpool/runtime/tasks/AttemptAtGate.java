package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import io.forkpool.TaskContext;
import io.forkpool.testsupport.Gate;

/**
 * Arrives at the {@link Gate} its input names, waits until the test releases it, then returns its
 * attempt number. Each attempt arrives once, so a retry shows as one more arrival.
 */
public final class AttemptAtGate implements Task<String, Integer> {

    @Override
    public Integer execute(String gate) throws InterruptedException {
        Gate.pass(gate);
        return TaskContext.current().orElseThrow().attempt();
    }
}
