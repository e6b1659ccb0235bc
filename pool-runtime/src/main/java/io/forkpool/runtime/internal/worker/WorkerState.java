package io.forkpool.runtime.internal.worker;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A worker driver's state. Only the driver's {@code advance} changes it, and only along
 * {@link #TRANSITIONS}; every other place asks. The transitions, each with what causes it:
 *
 * <pre>
 *   STARTING --hello ok--------------------------&gt; READY
 *   STARTING --hello ok, started as a spare------&gt; SPARE
 *   SPARE    --adopted into a slot---------------&gt; READY
 *   READY    --task or heap limit----------------&gt; RETIRING
 *   STARTING, SPARE, READY, RETIRING --stop()----&gt; STOPPING
 *   STARTING, SPARE, READY, RETIRING, STOPPING --exit--&gt; DEAD
 * </pre>
 *
 * docs/ARCHITECTURE.md shows the same table; a test holds the two together.
 */
public enum WorkerState {
    /** Spawned; no valid hello yet. */
    STARTING,
    /** A warm spare: said hello, takes no tasks until the supervisor puts it into a slot. */
    SPARE,
    /** Takes and runs tasks. */
    READY,
    /** Takes no more tasks; stops once it has answered those it holds. */
    RETIRING,
    /** Asked to exit; its stop escalates to SIGKILL. */
    STOPPING,
    /** Exited, and its exit reported. */
    DEAD;

    /** Every legal transition: from each state, the states it may move to. */
    public static final Map<WorkerState, Set<WorkerState>> TRANSITIONS = Map.of(
            STARTING, EnumSet.of(READY, SPARE, STOPPING, DEAD),
            SPARE, EnumSet.of(READY, STOPPING, DEAD),
            READY, EnumSet.of(RETIRING, STOPPING, DEAD),
            RETIRING, EnumSet.of(STOPPING, DEAD),
            STOPPING, EnumSet.of(DEAD),
            DEAD, EnumSet.noneOf(WorkerState.class));

    /** @return whether the worker is being ended or has ended: no new grounds to end it count */
    boolean ending() {
        return this == STOPPING || this == DEAD;
    }

    /** @return whether a worker in this state is leaving its slot: retiring, stopping or dead */
    public boolean leaving() {
        return this == RETIRING || ending();
    }
}
