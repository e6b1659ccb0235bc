package io.forkpool.runtime;

import io.forkpool.WorkerPool;
import io.forkpool.runtime.tasks.Print;

/**
 * A supervisor JVM started without any SLF4J provider on its class path: runs one task that
 * prints {@code MARKER from task} on its standard output, prints {@code DONE <output>}, closes the
 * pool and ends.
 */
public final class NoLoggingSupervisor {

    private NoLoggingSupervisor() {
    }

    /**
     * Entry point.
     *
     * @param args none
     */
    public static void main(String[] args) {
        try (WorkerPool pool = WorkerPool.builder().name("no-logging").workers(1).build()) {
            System.out.println("DONE " + pool.submit(Print.class, 0).join());
        }
    }
}
