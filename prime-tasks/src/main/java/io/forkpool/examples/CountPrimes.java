package io.forkpool.examples;

import io.forkpool.Task;

/**
 * Counts the primes in a {@link Range}: {@link Primes#count} as a task class, for callers that
 * name tasks by class ({@code pool.submit(CountPrimes.class, range)}) rather than by method
 * reference ({@code pool.submit(Primes::count, range)}).
 */
public final class CountPrimes implements Task<Range, Long> {

    /** Creates the task; the worker calls this once and reuses the instance. */
    public CountPrimes() {
    }

    @Override
    public Long execute(Range range) {
        return Primes.count(range);
    }

    /**
     * Tells whether {@code n} is prime; see {@link Primes#isPrime}.
     *
     * @param n any number; those below 2 are not prime
     * @return whether {@code n} is prime
     */
    public static boolean isPrime(long n) {
        return Primes.isPrime(n);
    }
}
