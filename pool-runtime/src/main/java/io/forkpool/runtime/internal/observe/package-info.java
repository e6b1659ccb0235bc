/**
 * What the pool observes, apart from what it controls: the counters behind its
 * {@code PoolStats} ({@link PoolCounters}), each worker process's latency recordings and the
 * pool's totals ({@link LatencyRecorder}, {@link LatencyHistograms}), and the JMX view of those
 * figures ({@link WorkerPoolMXBean}, {@link PoolMBeanLifecycle}). Imports nothing of the other
 * parts, only the public {@code ProgressReporter} and {@code LatencySummary}. Internal: no
 * compatibility promise.
 */
package io.forkpool.runtime.internal.observe;
