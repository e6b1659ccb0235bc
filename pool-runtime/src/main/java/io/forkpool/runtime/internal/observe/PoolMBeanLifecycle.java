package io.forkpool.runtime.internal.observe;

import io.forkpool.PoolStats;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A pool's MXBean over the pool's life: registered in the background once the pool runs
 * (creating the platform MBean server costs ~140 ms in a fresh JVM, which {@code build()} should
 * not wait for), unregistered when it closes. The two may race; a registration that lands after
 * the close is undone at once.
 */
public final class PoolMBeanLifecycle {

    private PoolMBean mbean = PoolMBean.NONE; // guarded by this
    private boolean closed; // guarded by this

    /** Creates one with no MXBean yet. */
    public PoolMBeanLifecycle() {
    }

    /**
     * Has {@code executor} register the pool's MXBean; a closed executor leaves the pool without one.
     * @param executor runs the registration
     * @param poolName the pool's name, for the MBean's name
     * @param stats reads the pool's figures
     */
    public void registerLater(Executor executor, String poolName, Supplier<PoolStats> stats) {
        executor.execute(() -> {
            PoolMBean registered = PoolMBean.register(poolName, stats);
            synchronized (this) {
                if (!closed) {
                    mbean = registered;
                    return;
                }
            }
            registered.unregister();
        });
    }

    /** Unregisters the MXBean, now or as soon as a registration under way ends. */
    public synchronized void close() {
        closed = true;
        mbean.unregister();
        mbean = PoolMBean.NONE;
    }
}
