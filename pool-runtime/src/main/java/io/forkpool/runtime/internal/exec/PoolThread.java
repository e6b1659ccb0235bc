package io.forkpool.runtime.internal.exec;

/**
 * A thread the pool owns (io, sender, output, supervisor): a daemon, so a pool that was never
 * closed does not keep the JVM alive, and recognisable, so code running on it, such as a future's
 * callback, is never made to wait for the pool (see {@code PendingLimit}).
 */
public final class PoolThread extends Thread {

    /**
     * @param body what the thread runs
     * @param name its name, after its role
     */
    public PoolThread(Runnable body, String name) {
        super(body, name);
        setDaemon(true);
    }
}
