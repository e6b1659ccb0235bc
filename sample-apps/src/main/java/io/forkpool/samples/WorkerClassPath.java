package io.forkpool.samples;

import io.forkpool.Task;

/**
 * Answers the class path of the worker that runs it. A task of the application's own, so in a
 * Spring Boot jar it lives in {@code BOOT-INF/classes}, not in a library.
 */
public final class WorkerClassPath implements Task<String, String> {

    /** Creates the task; the worker calls this once and reuses the instance. */
    public WorkerClassPath() {
    }

    @Override
    public String execute(String ignored) {
        return System.getProperty("java.class.path");
    }
}
