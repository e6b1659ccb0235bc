package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/** Counts primes in a range by trial division (deliberately CPU-bound). */
public final class CountPrimes implements Task<Range, Long> {

    @Override
    public Long execute(Range range) {
        long count = 0;
        for (long n = Math.max(2, range.from()); n < range.to(); n++) {
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    /** Trial division by 2 and odd numbers up to the square root. */
    public static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
