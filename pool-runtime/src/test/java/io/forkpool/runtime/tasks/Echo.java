package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/** Returns its input unchanged. */
public final class Echo implements Task<String, String> {

    @Override
    public String execute(String input) {
        return input;
    }
}
