/**
 * A runnable demo of forkpool: counting primes by trial division on a pool of worker JVMs, with
 * an in-process baseline. {@link io.forkpool.demo.PrimeDemo} is the entry point.
 */
package io.forkpool.demo;
