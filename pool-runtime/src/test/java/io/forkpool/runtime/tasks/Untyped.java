package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/** Returns its input, whatever JSON it is; the output type is Object, so any document decodes. */
public final class Untyped implements Task<Object, Object> {

    @Override
    public Object execute(Object input) {
        return input;
    }
}
