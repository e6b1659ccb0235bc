/**
 * forkpool's process-based runtime. Its only public type is the service provider that
 * {@link io.forkpool.WorkerPool#builder()} finds; everything else is in {@code internal}.
 */
package io.forkpool.runtime;
