package io.forkpool.cluster.tasks;

import io.forkpool.Task;
import io.forkpool.testsupport.Gate;

/**
 * Arrives at the {@link Gate} its input names, waits until the test releases it, then answers the
 * input's index times two. A node runs it only with test-support on its task class path.
 */
public final class DoubleAtGate implements Task<DoubleAtGate.Input, Integer> {

    /** @param index echoed back, doubled @param gate the gate's path */
    public record Input(int index, String gate) {
    }

    @Override
    public Integer execute(Input input) throws InterruptedException {
        Gate.pass(input.gate());
        return input.index() * 2;
    }
}
