package io.forkpool.internal.worker;

import io.forkpool.Task;

/** Throws an exception whose message cannot be read: a task whose failure is itself broken. */
public final class BadMessage implements Task<String, String> {

    @Override
    public String execute(String input) {
        throw new IllegalStateException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                throw new UnsupportedOperationException("no message for " + input);
            }
        };
    }
}
