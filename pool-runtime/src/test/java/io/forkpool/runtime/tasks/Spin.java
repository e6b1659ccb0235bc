package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/**
 * Burns CPU for the given milliseconds (negative: forever), ignoring interrupts and cancellation:
 * the task a timeout can only end by killing its worker. Appends a line to the file named by the
 * system property {@code forkpool.test.runs}, if set, each time it starts.
 */
public final class Spin implements Task<Long, Long> {

    @Override
    public Long execute(Long millis) throws java.io.IOException {
        String runs = System.getProperty("forkpool.test.runs");
        if (runs != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(runs), "run\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        long end = millis < 0 ? Long.MAX_VALUE : System.nanoTime() + millis * 1_000_000;
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
            Thread.interrupted(); // swallow any interrupt
        }
        return spins;
    }
}
