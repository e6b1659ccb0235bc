package io.forkpool.runtime.internal.lifecycle;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One JVM shutdown hook for all open pools: on normal exit, SIGTERM or SIGINT it closes every pool
 * still open, killing its workers, so none outlives the supervisor, and warns of the tasks that
 * cancelled ({@link PoolShutdown#shutdownAtExit}). (SIGKILL runs no hook; the workers' lifeline
 * covers that case.)
 */
public final class ShutdownHook {

    private static final Set<PoolShutdown> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    private ShutdownHook() {
    }

    /** @param pool closed now when the JVM exits, unless deregistered first */
    public static void register(PoolShutdown pool) {
        installOnce();
        OPEN.add(pool);
    }

    static void deregister(PoolShutdown pool) {
        OPEN.remove(pool);
    }

    private static void installOnce() {
        if (!installed) {
            synchronized (ShutdownHook.class) {
                if (!installed) {
                    Thread hook = new Thread(() -> OPEN.forEach(PoolShutdown::shutdownAtExit), "forkpool-shutdown-hook");
                    Runtime.getRuntime().addShutdownHook(hook);
                    installed = true;
                }
            }
        }
    }
}
