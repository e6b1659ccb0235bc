/**
 * The main class of a forkpool worker JVM, started by the supervisor. Not for application code:
 * the runtime launches {@link io.forkpool.worker.WorkerMain} by name, and that name is all that is
 * public here.
 */
package io.forkpool.worker;
