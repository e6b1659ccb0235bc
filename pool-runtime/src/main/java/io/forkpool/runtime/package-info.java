/**
 * forkpool's process-based runtime. Its public types are the service provider that
 * {@link io.forkpool.WorkerPool#builder()} finds ({@link ForkPoolProvider}) and the service other
 * forkpool pools build on, such as the cluster node: {@link DocumentPool}, and the
 * {@link ProgressReporter} and {@link LatencySummary} every pool shares so that their progress
 * and figures behave alike. Everything else is in {@code internal}.
 */
package io.forkpool.runtime;
