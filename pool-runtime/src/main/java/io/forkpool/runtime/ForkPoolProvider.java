package io.forkpool.runtime;

import io.forkpool.PoolOptions;
import io.forkpool.WorkerPool;
import io.forkpool.runtime.internal.ProcessPool;
import io.forkpool.spi.WorkerPoolProvider;

/**
 * The process-based runtime's entry point, found by {@link io.forkpool.WorkerPoolBuilder#build()}
 * through {@link java.util.ServiceLoader}. Application code uses {@code WorkerPool.builder()}.
 */
public final class ForkPoolProvider implements WorkerPoolProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public ForkPoolProvider() {
    }

    @Override
    public WorkerPool create(PoolOptions options) {
        return new ProcessPool(options);
    }
}
