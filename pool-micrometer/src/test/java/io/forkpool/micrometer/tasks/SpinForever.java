package io.forkpool.micrometer.tasks;

import io.forkpool.Task;

/** Spins and swallows every interrupt: a timeout costs its worker its life. */
public final class SpinForever implements Task<String, String> {

    @Override
    public String execute(String input) {
        while (true) {
            Thread.interrupted();
            Thread.onSpinWait();
        }
    }
}
