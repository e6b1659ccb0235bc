package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import io.forkpool.TaskContext;
import io.forkpool.examples.Range;

/** Sums the integers of a range with a little CPU work; returns the sum and the attempt that computed it. */
public final class SumRange implements Task<Range, SumRange.Sum> {

    /** A sum and the attempt number that produced it. */
    public record Sum(long sum, int attempt) {
    }

    @Override
    public Sum execute(Range range) {
        long sum = 0;
        for (long n = range.from(); n < range.to(); n++) {
            sum += n;
        }
        return new Sum(sum, TaskContext.current().orElseThrow().attempt());
    }
}
