package io.forkpool.benchmarks;

import io.forkpool.Task;

/**
 * Returns its input unchanged: a task with no work, so that running it measures nothing but the
 * way there and back (encode, queue, hand-offs, socket, decode).
 */
public final class NoOp implements Task<Integer, Integer> {

    /** Creates the task; the worker calls this once and reuses the instance. */
    public NoOp() {
    }

    @Override
    public Integer execute(Integer input) {
        return input;
    }
}
