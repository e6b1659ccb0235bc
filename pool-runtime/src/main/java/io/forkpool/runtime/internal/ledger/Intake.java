package io.forkpool.runtime.internal.ledger;

import io.forkpool.PoolFailedException;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the ledger asks of the pool's lifecycle: whether new tasks are taken, and whether queued
 * ones are to be abandoned. The ledger asks, it never sets: the lifecycle owns the pool's state.
 */
public interface Intake {

    /** @return {@code null} while the pool takes new tasks, otherwise why it does not */
    RejectedExecutionException refusal();

    /** @return whether tasks queued now are abandoned, not run (the pool failed or is stopping) */
    boolean abandoning();

    /** @return why the pool failed, or {@code null} if it has not */
    PoolFailedException failure();
}
