package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/** Returns the feature version of the worker's Java runtime. */
public final class JavaVersion implements Task<Void, Integer> {

    @Override
    public Integer execute(Void ignored) {
        return Runtime.version().feature();
    }
}
