package io.forkpool.itapp;

import io.forkpool.WorkerPool;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;

/**
 * An application that builds a pool without {@code classpath(...)}, as a user would, counts the
 * primes below 100 and prints {@code PRIMES <count>}. Started on the module path and inside a
 * child class loader, where {@code java.class.path} does not hold forkpool.
 */
public final class DefaultPoolApp {

    private DefaultPoolApp() {
    }

    /**
     * Entry point.
     *
     * @param args the pool's name
     */
    public static void main(String[] args) {
        System.out.println("MODULE " + DefaultPoolApp.class.getModule().getName());
        System.out.println("LOADER " + DefaultPoolApp.class.getClassLoader().getName());
        try (WorkerPool pool = WorkerPool.builder().name(args[0]).workers(1).classDataCache(null).build()) {
            System.out.println("PRIMES " + pool.submit(CountPrimes.class, new Range(0, 100)).join());
        }
    }
}
