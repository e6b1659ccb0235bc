package io.forkpool.runtime.internal.worker;

import java.util.Map;
import java.util.Set;

/** Opens {@link WorkerDriver#TRANSITIONS} to tests of other packages. */
public final class WorkerDriverStates {

    private WorkerDriverStates() {
    }

    /** @return every legal transition of a worker driver */
    public static Map<WorkerDriver.State, Set<WorkerDriver.State>> transitions() {
        return WorkerDriver.TRANSITIONS;
    }
}
