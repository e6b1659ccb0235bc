package io.forkpool.micrometer.tasks;

import io.forkpool.Task;

/** Throws, as a task that fails does: its worker lives on. */
public final class Fail implements Task<String, String> {

    @Override
    public String execute(String message) {
        throw new IllegalStateException(message);
    }
}
