package io.forkpool.internal.worker;

import io.forkpool.Task;

/** Always throws; a test task. */
public final class Boom implements Task<String, String> {

    @Override
    public String execute(String input) {
        throw new UnsupportedOperationException("boom: " + input);
    }
}
