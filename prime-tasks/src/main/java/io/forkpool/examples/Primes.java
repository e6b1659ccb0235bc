package io.forkpool.examples;

/**
 * Counts primes by trial division, as public static methods: {@code pool.submit(Primes::count, range)}
 * runs {@link #count} in a worker. Slow on purpose: the demo needs a task that keeps a core busy
 * for a while and whose cost grows with the numbers, not a fast sieve.
 */
public final class Primes {

    /** The largest {@code d} with {@code d * d} representable as a long. */
    private static final long MAX_ROOT = 3_037_000_499L;

    private Primes() {
    }

    /**
     * Counts the primes in a range: a task, named {@code io.forkpool.examples.Primes::count}.
     *
     * @param range the numbers to look at
     * @return how many of them are prime
     */
    public static long count(Range range) {
        long count = 0;
        for (long n = range.from(); n < range.to(); n++) {
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Tells whether {@code n} is prime by dividing it by 2 and by every odd number up to its
     * square root.
     *
     * @param n any number; those below 2 are not prime
     * @return whether {@code n} is prime
     */
    public static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        long limit = floorSqrt(n);
        for (long d = 3; d <= limit; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** The exact integer square root; the double estimate can be one off above 2^52. */
    private static long floorSqrt(long n) {
        long root = Math.min((long) Math.sqrt((double) n), MAX_ROOT);
        while (root * root > n) {
            root--;
        }
        while (root < MAX_ROOT && (root + 1) * (root + 1) <= n) {
            root++;
        }
        return root;
    }
}
