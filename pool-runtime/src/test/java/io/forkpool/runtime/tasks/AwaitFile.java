package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits until the file its input names exists, then returns the name: a gate the test opens
 * from outside the worker, so a test decides exactly when tasks complete without timing guesses.
 * Gives up after 60 s so a broken test cannot leave a worker spinning.
 */
public final class AwaitFile implements Task<String, String> {

    @Override
    public String execute(String path) throws Exception {
        Path gate = Path.of(path);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(gate)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gate " + path + " never opened");
            }
            Thread.sleep(5); // polls for the file, within the deadline
        }
        return path;
    }
}
