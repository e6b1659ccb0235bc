package io.forkpool.runtime.internal.worker;

import java.io.IOException;

/** Starts worker processes: the launcher, or an in-memory one in tests. */
public interface WorkerSpawner extends AutoCloseable {

    /**
     * Starts a worker; does not wait for it to connect.
     *
     * @param slot the worker's slot id
     * @param incarnation how many workers this slot has had, this one included
     * @return its link
     * @throws IOException if it cannot be started
     */
    WorkerLink spawn(int slot, int incarnation) throws IOException;

    /** @return the program that starts a worker, for messages */
    String program();

    /**
     * What to add to the message of a worker that died before its hello, such as how to fix its
     * class path.
     *
     * @param outputTail the worker's last output
     * @return the addition, starting with a line break, or empty
     */
    default String startupHint(String outputTail) {
        return "";
    }

    /** Releases what the spawner holds (its socket directory). */
    @Override
    void close();
}
