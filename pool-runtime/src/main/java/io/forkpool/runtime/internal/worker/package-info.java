/**
 * One worker process as the supervisor drives it ({@link WorkerDriver}): its link, channel and
 * three threads, the tasks it holds and their timers, its prefetch depth and chunk sizes, and its
 * state machine up to its exit ({@link WorkerExit}). It knows no pool: it reports through
 * {@link WorkerListener}, and reaches processes only through {@link WorkerSpawner} and
 * {@link WorkerLink}, which tests implement in memory. Of the pool's parts it imports only
 * {@code internal.ledger}, {@code internal.exec} and {@code internal.observe}. Internal: no compatibility promise.
 */
package io.forkpool.runtime.internal.worker;
