/**
 * The pool's threads and clock, and the futures it hands out: the supervisor thread every timer
 * and exit decision runs on ({@link Scheduler}, {@link SupervisorThread}), the daemon threads the
 * pool owns ({@link PoolThread}), and futures whose callbacks never run on those threads
 * ({@link CallbackFuture}). The bottom of the supervisor: it imports nothing of the pool, and
 * every other part may use it. Internal: no compatibility promise.
 */
package io.forkpool.runtime.internal.exec;
