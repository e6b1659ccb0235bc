/**
 * What the API shares with forkpool's runtime and worker: the service interface a runtime
 * implements so that {@link io.forkpool.WorkerPoolBuilder#build()} can find it
 * ({@link io.forkpool.spi.WorkerPoolProvider}), the holder behind
 * {@link io.forkpool.TaskContext#current()}, and the task allow-list both sides check. Not for
 * application code; public only because the runtime and the worker live in other modules.
 */
package io.forkpool.spi;
