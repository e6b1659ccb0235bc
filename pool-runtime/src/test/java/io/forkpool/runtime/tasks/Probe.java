package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import io.forkpool.TaskContext;

/**
 * Reports where it ran: {@code [input, task id, attempt]}. Input {@code -1} halts the worker on
 * every attempt (a poison input), {@code -2} halts it on the first attempt only, {@code -3}
 * throws; any other input returns.
 */
public final class Probe implements Task<Long, long[]> {

    @Override
    public long[] execute(Long input) {
        TaskContext context = TaskContext.current().orElseThrow();
        if (input == -1 || input == -2 && context.attempt() == 1) {
            Runtime.getRuntime().halt(42);
        }
        if (input == -3) {
            throw new IllegalArgumentException("probe refuses input " + input);
        }
        return new long[] {input, context.taskId(), context.attempt()};
    }
}
