package io.forkpool.cluster.tasks;

import io.forkpool.Task;

/** Answers its input, but throws on 7; halts its worker with exit code 13 on -13. */
public final class FailOn implements Task<Integer, Integer> {

    @Override
    public Integer execute(Integer input) {
        if (input == 7) {
            throw new IllegalStateException("seven is not allowed");
        }
        if (input == -13) {
            System.err.println("halting on purpose");
            Runtime.getRuntime().halt(13);
        }
        return input;
    }
}
