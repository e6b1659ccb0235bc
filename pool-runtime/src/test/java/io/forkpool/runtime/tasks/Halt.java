package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/** Ends its worker with Runtime.halt(code) after printing a last line. */
public final class Halt implements Task<Integer, Void> {

    @Override
    public Void execute(Integer code) {
        System.err.println("about to halt with " + code);
        System.err.flush();
        Runtime.getRuntime().halt(code);
        return null;
    }
}
