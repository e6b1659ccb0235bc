package io.forkpool.internal.worker;

import io.forkpool.Task;

/** A test task that divides as doubles: 0/0 is NaN, 1/0 Infinity, -1/0 -Infinity, none of which JSON can carry. */
public final class Divide implements Task<Divide.Pair, Double> {

    /**
     * What to divide.
     *
     * @param a the dividend
     * @param b the divisor
     */
    public record Pair(long a, long b) {
    }

    @Override
    public Double execute(Pair pair) {
        return (double) pair.a() / pair.b();
    }
}
