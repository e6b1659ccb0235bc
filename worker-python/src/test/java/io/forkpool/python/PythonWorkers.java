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

    /** The reference worker script. */
    static Path script() {
        Path script = module().resolve("src/main/python/forkpool_worker.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("no Python worker at " + script);
        }
        return script;
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
