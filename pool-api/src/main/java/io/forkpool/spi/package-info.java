/**
 * The service interface a forkpool runtime implements so that
 * {@link io.forkpool.WorkerPoolBuilder#build()} can find it. Not for application code.
 */
package io.forkpool.spi;
