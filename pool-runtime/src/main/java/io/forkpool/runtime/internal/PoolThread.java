package io.forkpool.runtime.internal;

/**
 * A thread the pool owns (io, sender, output, supervisor): a daemon, so a pool that was never
 * closed does not keep the JVM alive, and recognisable, so code running on it, such as a future's
 * callback, is never made to wait for the pool ({@link PendingLimit}).
 */
final class PoolThread extends Thread {

    PoolThread(Runnable body, String name) {
        super(body, name);
        setDaemon(true);
    }
}
