/**
 * Every task from its submission to its completion ({@link TaskLedger}): the shared queue the
 * workers' senders take from, batch spans and their cutting and splitting, the
 * {@code maxPendingTasks} permits, the resolved task types, and the fates of a dead worker's tasks
 * ({@link OrphanFates}, a pure function). It reaches the rest of the pool only through interfaces
 * it defines and others implement ({@link Intake}, {@link TaskOwner}); of the pool's parts it
 * imports only {@code internal.exec}, {@code internal.observe} and the public
 * {@code ProgressReporter}.
 * Internal: no compatibility promise.
 */
package io.forkpool.runtime.internal.ledger;
