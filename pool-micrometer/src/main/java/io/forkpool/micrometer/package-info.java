/**
 * forkpool's figures in Micrometer: {@link io.forkpool.micrometer.ForkPoolMetrics} binds every
 * figure of a {@link io.forkpool.WorkerPool}'s {@link io.forkpool.WorkerPool#stats() stats()} to a
 * {@link io.micrometer.core.instrument.MeterRegistry}, so that Spring Boot's actuator, Prometheus
 * and the other registries Micrometer serves see the pool beside the rest of the application.
 * Optional: the core modules know nothing of Micrometer, and this module brings no Micrometer
 * version of its own (the application's registry does).
 */
package io.forkpool.micrometer;
