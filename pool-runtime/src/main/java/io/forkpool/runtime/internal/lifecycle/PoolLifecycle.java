package io.forkpool.runtime.internal.lifecycle;

import io.forkpool.PoolFailedException;
import io.forkpool.runtime.internal.ledger.Intake;
import java.util.concurrent.RejectedExecutionException;

/**
 * Owns the pool's {@link PoolState}: the one place it changes ({@link #advance}, along
 * {@link PoolState#TRANSITIONS}), why the pool failed if it did, and who closes it. Thread-safe:
 * the state is written under this object's monitor and read without it (volatile).
 */
public final class PoolLifecycle implements Intake {

    private final String poolName;
    /** Written under this object's monitor; volatile so that the hot path reads it without one. */
    private volatile PoolState state = PoolState.STARTING;
    /** Set before the state becomes FAILED, so whoever sees FAILED sees why. */
    private volatile PoolFailedException failure;
    private boolean closerClaimed; // guarded by this

    /** @param poolName for messages */
    public PoolLifecycle(String poolName) {
        this.poolName = poolName;
    }

    /**
     * Moves to {@code to} if that is legal from the current state.
     *
     * @return whether it moved
     * @param to the state to move to
     */
    public synchronized boolean advance(PoolState to) {
        if (!PoolState.TRANSITIONS.get(state).contains(to)) {
            return false;
        }
        state = to;
        return true;
    }

    /**
     * Fails the pool, if it still runs tasks.
     *
     * @param why the reason, for the message
     * @return the failure, or {@code null} if the pool was not running (nothing changed)
     */
    public synchronized PoolFailedException fail(String why) {
        if (!state.runsTasks()) {
            return null;
        }
        failure = new PoolFailedException("pool " + poolName + " failed: " + why);
        advance(PoolState.FAILED);
        return failure;
    }

    /**
     * Claims the closing of the pool; the first caller closes, later ones wait for it.
     *
     * @return whether this caller is the first
     */
    public synchronized boolean claimClose() {
        boolean first = !closerClaimed;
        closerClaimed = true;
        return first;
    }

    /** @return the state now */
    public PoolState state() {
        return state;
    }

    @Override
    public RejectedExecutionException refusal() {
        PoolState now = state;
        if (now.acceptsTasks()) {
            return null;
        }
        PoolFailedException why = failure;
        return new RejectedExecutionException("pool " + poolName + " is " + now.name().toLowerCase()
                + (now == PoolState.FAILED && why != null ? ": " + why.getMessage() : ""), why);
    }

    @Override
    public boolean abandoning() {
        return state.abandonsTasks();
    }

    @Override
    public PoolFailedException failure() {
        return failure;
    }
}
