/**
 * Process trees without a supervisor: a worker's session and killing it until it is empty
 * ({@link io.forkpool.internal.process.Sessions}), and the warden, a small process that outlives
 * a supervisor to kill its workers' sessions when it dies, even by SIGKILL
 * ({@link io.forkpool.internal.process.Warden}). Internal: no compatibility promise.
 */
package io.forkpool.internal.process;
