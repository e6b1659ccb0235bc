package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import io.forkpool.testsupport.Gate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@link Spin} held at a {@link Gate}: appends its line to the file named by the system property
 * {@code forkpool.test.runs}, if set, as Spin does; arrives at the gate its input names; then burns
 * CPU, ignoring interrupts and cancellation, until the gate is released (or
 * {@link Gate#RELEASE_BOUND} passed); returns its spin count. A test knows it runs once it
 * arrived, and only killing its worker ends it before the release.
 */
public final class SpinAtGate implements Task<String, Long> {

    @Override
    public Long execute(String gate) throws IOException {
        String runs = System.getProperty("forkpool.test.runs");
        if (runs != null) {
            Files.writeString(Path.of(runs), "run\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        Gate.arrive(gate);
        long end = System.nanoTime() + Gate.RELEASE_BOUND.toNanos();
        long nextLook = 0;
        long spins = 0;
        while (System.nanoTime() - end < 0) {
            spins++;
            Thread.interrupted(); // swallow any interrupt
            long now = System.nanoTime();
            if (now - nextLook >= 0) { // look at the gate every millisecond, spin in between
                if (Gate.isReleased(gate)) {
                    break;
                }
                nextLook = now + 1_000_000;
            }
        }
        return spins;
    }
}
