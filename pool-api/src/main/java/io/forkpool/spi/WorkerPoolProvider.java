package io.forkpool.spi;

import io.forkpool.PoolOptions;
import io.forkpool.WorkerPool;

/**
 * Creates pools for {@link io.forkpool.WorkerPoolBuilder#build()}; found with
 * {@link java.util.ServiceLoader}. {@code pool-runtime} provides the process-based one. Users do
 * not call this interface.
 */
public interface WorkerPoolProvider {

    /**
     * Starts a pool; returns when all of its workers are ready.
     *
     * @param options validated settings
     * @return a running pool
     * @throws io.forkpool.PoolStartupException if the workers cannot be started
     */
    WorkerPool create(PoolOptions options);
}
