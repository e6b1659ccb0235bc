package io.forkpool.runtime.internal.worker;

import java.util.function.LongConsumer;

/**
 * Where a driver serves, and the names that say so: a slot, or a warm spare's position until the
 * spare is placed in a slot. Immutable: placing a spare replaces its driver's placement whole, so
 * a reader never sees a slot id with another slot's names or figures.
 *
 * @param id the slot's id, or a spare's id (spare k of a pool of n workers has id n + k)
 * @param name {@code worker N} or {@code spare K}, for logs and the tag of the worker's output
 * @param threadPrefix what the driver's threads' names start with
 * @param inputsAnswered told how many inputs each answer carried (a chunk's each counted), for the slot's figures
 */
record Placement(int id, String name, String threadPrefix, LongConsumer inputsAnswered) {

    /**
     * @param config the pool's settings
     * @param id the slot's or the spare's id
     * @param inputsAnswered the slot's (or the spare position's) answer counter
     * @return the placement, named
     */
    static Placement of(DriverConfig config, int id, LongConsumer inputsAnswered) {
        String name = id < config.workers() ? "worker " + id : "spare " + (id - config.workers());
        return new Placement(id, name, config.poolName() + "-" + name.replace(' ', '-'), inputsAnswered);
    }
}
