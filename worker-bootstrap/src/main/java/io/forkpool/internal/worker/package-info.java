/**
 * The worker side of the protocol: bootstrap, lifeline, the task loop, and the class-data sharing
 * rehearsal. Internal: public only because {@code io.forkpool.worker.WorkerMain} and the runtime
 * (which starts the archive recorder) live in other packages, with no compatibility promise.
 */
package io.forkpool.internal.worker;
