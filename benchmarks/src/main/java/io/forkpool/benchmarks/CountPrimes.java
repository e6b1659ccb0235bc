package io.forkpool.benchmarks;

import io.forkpool.Task;

/**
 * Counts the primes in a {@link Range} by trial division: 2, then odd divisors up to the square
 * root, no sieve. Deliberately CPU-bound and allocation-free, so that the work per task dwarfs the
 * bytes sent for it and a benchmark of it measures the pool's overhead on real work.
 *
 * <p>Loaded by the worker JVMs from {@code benchmarks.jar}: the worker class path defaults to the
 * supervisor's.
 */
public final class CountPrimes implements Task<Range, Long> {

    /** Creates the task; the worker calls this once and reuses the instance. */
    public CountPrimes() {
    }

    @Override
    public Long execute(Range range) {
        long count = 0;
        for (long n = range.from(); n < range.to(); n++) {
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Tells whether a number is prime by trial division by 2 and the odd numbers up to its root.
     *
     * @param n any number
     * @return true if {@code n} is prime
     */
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
