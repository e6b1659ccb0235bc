package io.forkpool.runtime.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One JVM shutdown hook for all open pools: on normal exit, SIGTERM or SIGINT it closes every pool
 * still open, killing its workers, so none outlives the supervisor. (SIGKILL runs no hook; the
 * workers' lifeline covers that case.)
 */
final class ShutdownHook {

    private static final Set<ProcessPool> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    private ShutdownHook() {
    }

    static void register(ProcessPool pool) {
        installOnce();
        OPEN.add(pool);
    }

    static void deregister(ProcessPool pool) {
        OPEN.remove(pool);
    }

    private static void installOnce() {
        if (!installed) {
            synchronized (ShutdownHook.class) {
                if (!installed) {
                    Thread hook = new Thread(() -> OPEN.forEach(ProcessPool::closeNow), "forkpool-shutdown-hook");
                    Runtime.getRuntime().addShutdownHook(hook);
                    installed = true;
                }
            }
        }
    }
}
