package io.forkpool.python;

import io.forkpool.WorkerPool;
import io.forkpool.WorkerPoolBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the Python worker and the test tasks are, and a builder for a pool of Python workers. */
final class PythonWorkers {

    private PythonWorkers() {
    }

    /** The worker-python module's directory (failsafe and surefire set {@code basedir}). */
    static Path module() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    /** The reference worker script: the launcher of the package {@code forkpool_worker/} beside it. */
    static Path script() {
        return source("forkpool_worker.py");
    }

    /**
     * A file of {@code src/main/python}: the worker's launcher, {@code minimal.py} or {@code conformance.py}.
     *
     * @throws IllegalStateException if it is not there
     */
    static Path source(String name) {
        Path file = module().resolve("src/main/python").resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + name + " at " + file);
        }
        return file;
    }

    /** The module of extra tasks the integration tests register. */
    static Path testTasks() {
        return module().resolve("src/test/python/it_tasks.py");
    }

    /** A pool of Python workers with the test tasks registered. */
    static WorkerPoolBuilder pool(int workers) {
        return WorkerPool.builder().name("python").workers(workers)
                .workerCommand("python3", script().toString(), "--tasks-module", testTasks().toString());
    }
}
