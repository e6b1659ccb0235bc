package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/** Throws an IllegalStateException (with a cause) carrying the input as its message. */
public final class Fail implements Task<String, String> {

    @Override
    public String execute(String message) {
        throw new IllegalStateException(message, new ArithmeticException("root cause"));
    }
}
