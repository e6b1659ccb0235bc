package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/** Calls System.exit(code): shutdown hooks run, then the worker ends. */
public final class Exit implements Task<Integer, Void> {

    @Override
    public Void execute(Integer code) {
        System.exit(code);
        return null;
    }
}
