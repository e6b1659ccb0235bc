package io.forkpool.runtime.internal.lifecycle;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The pool's run state. Only {@link PoolLifecycle#advance} changes it, and only along
 * {@link #TRANSITIONS}; every other place asks. The transitions, each with what causes it:
 *
 * <pre>
 *   STARTING --all workers said hello--------------------------&gt; RUNNING
 *   STARTING --a worker failed to start (build() throws)-------&gt; STOPPING
 *   RUNNING  --close()-----------------------------------------&gt; CLOSING    intake stopped; queued and running tasks finish; dead workers are replaced
 *   RUNNING  --closeNow()--------------------------------------&gt; STOPPING
 *   RUNNING  --workers cannot start again (crash loop)---------&gt; FAILED     queued tasks fail; intake stopped; workers stopped
 *   CLOSING  --workers cannot start again (crash loop)---------&gt; FAILED
 *   CLOSING  --drained, close timeout, or closeNow()-----------&gt; STOPPING   remaining tasks cancelled; workers stopped
 *   FAILED   --close()/closeNow()------------------------------&gt; STOPPING
 *   STOPPING --every worker exited-----------------------------&gt; TERMINATED
 * </pre>
 *
 * docs/ARCHITECTURE.md shows the same table; a test holds the two together.
 */
public enum PoolState {
    /** Workers are starting; {@code build()} has not returned. */
    STARTING,
    /** Taking and running tasks. */
    RUNNING,
    /** {@code close()}: no new tasks; those taken run to the end. */
    CLOSING,
    /** Workers could not be kept running: no new tasks, queued ones failed. */
    FAILED,
    /** Remaining tasks abandoned, workers being stopped. */
    STOPPING,
    /** Every worker exited; nothing runs. */
    TERMINATED;

    /** Every legal transition: from each state, the states it may move to. */
    public static final Map<PoolState, Set<PoolState>> TRANSITIONS = Map.of(
            STARTING, EnumSet.of(RUNNING, STOPPING),
            RUNNING, EnumSet.of(CLOSING, STOPPING, FAILED),
            CLOSING, EnumSet.of(FAILED, STOPPING),
            FAILED, EnumSet.of(STOPPING),
            STOPPING, EnumSet.of(TERMINATED),
            TERMINATED, EnumSet.noneOf(PoolState.class));

    /** @return whether new tasks are taken in this state */
    public boolean acceptsTasks() {
        return this == RUNNING;
    }

    /** @return whether tasks already taken still run, and dead workers are replaced, in this state */
    public boolean runsTasks() {
        return this == RUNNING || this == CLOSING;
    }

    /** @return whether tasks still queued are abandoned in this state */
    public boolean abandonsTasks() {
        return ordinal() >= FAILED.ordinal();
    }
}
