package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import java.io.IOException;

/**
 * Starts a child that leaves the worker's session with {@code setsid} but keeps the worker's
 * standard output and error, writes its pid to the file given, and sleeps: the kind of child
 * that kept a closed pool's output thread alive.
 */
public final class StartEscapee implements Task<String, Integer> {

    @Override
    public Integer execute(String pidFile) throws IOException, InterruptedException {
        // setsid --fork: the child leads a new session, and its parent exits at once.
        Process setsid = new ProcessBuilder("setsid", "--fork", "sh", "-c", "echo $$ > \"$1\"; exec sleep 1000", "sh",
                pidFile).inheritIO().start();
        if (setsid.waitFor() != 0) {
            throw new IOException("setsid --fork failed with exit code " + setsid.exitValue());
        }
        java.nio.file.Path file = java.nio.file.Path.of(pidFile);
        while (!java.nio.file.Files.exists(file) || java.nio.file.Files.size(file) == 0) {
            Thread.sleep(5); // polling for the file the child writes, not a guess
        }
        return 1;
    }
}
