/**
 * The pool's life: its run state and the one place it changes ({@link PoolState},
 * {@link PoolLifecycle}), the worker slots, their drivers and restarts, and failing the pool when
 * workers cannot be kept running ({@link WorkerSupervisor}), and closing, always bounded
 * ({@link PoolShutdown}, {@link ShutdownHook}). Imports {@code internal.ledger},
 * {@code internal.worker}, {@code internal.observe} and {@code internal.exec}; none of them imports
 * it (the ledger asks it through {@code Intake}, drivers report through {@code WorkerListener}).
 * Internal: no compatibility promise.
 */
package io.forkpool.runtime.internal.lifecycle;
