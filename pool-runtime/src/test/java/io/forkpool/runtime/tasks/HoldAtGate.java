package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import io.forkpool.testsupport.Gate;

/**
 * Arrives at the {@link Gate} its input names, waits until the test releases it, then returns the
 * pid of the worker that ran it. Honours the interrupt: cancelled or timed out while it waits, it
 * ends with an {@link InterruptedException} and its worker serves on. The task a test holds
 * "running" for as long as it needs, instead of a long sleep it hopes has started.
 */
public final class HoldAtGate implements Task<String, Long> {

    @Override
    public Long execute(String gate) throws InterruptedException {
        Gate.pass(gate);
        return ProcessHandle.current().pid();
    }
}
