package io.forkpool.benchmarks;

/**
 * A half-open range of integers {@code [from, to)}: the input of {@link CountPrimes}. Travels to
 * the workers as a Jackson document, e.g. {@code {"from":0,"to":100000}}.
 *
 * @param from the first number of the range
 * @param to one past the last number of the range
 */
public record Range(long from, long to) {

    /** Checks that the range is not reversed. */
    public Range {
        if (to < from) {
            throw new IllegalArgumentException("to < from: [" + from + ", " + to + ")");
        }
    }
}
