package io.forkpool.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * A half-open range of numbers {@code [from, to)}: the input of one {@link Primes#count} or {@link CountPrimes} task.
 *
 * @param from the first number in the range
 * @param to the first number after the range; not below {@code from}
 */
public record Range(long from, long to) {

    /**
     * Creates a range, rejecting one that ends before it starts.
     *
     * @param from the first number in the range
     * @param to the first number after the range; not below {@code from}
     */
    public Range {
        if (to < from) {
            throw new IllegalArgumentException("range ends before it starts: [" + from + ", " + to + ")");
        }
    }

    /**
     * Splits {@code [0, upTo)} into consecutive ranges of {@code chunk} numbers; the last one may
     * be shorter.
     *
     * @param upTo the end of the whole range, at least 0
     * @param chunk the numbers per range, at least 1
     * @return the ranges in ascending order; empty when {@code upTo} is 0
     */
    public static List<Range> chunks(long upTo, long chunk) {
        if (upTo < 0 || chunk < 1) {
            throw new IllegalArgumentException("need upTo >= 0 and chunk >= 1: " + upTo + ", " + chunk);
        }
        List<Range> ranges = new ArrayList<>();
        for (long from = 0; from < upTo; ) {
            // Adding the shorter remainder rather than the chunk keeps from + chunk from overflowing.
            long to = from + Math.min(chunk, upTo - from);
            ranges.add(new Range(from, to));
            from = to;
        }
        return ranges;
    }
}
