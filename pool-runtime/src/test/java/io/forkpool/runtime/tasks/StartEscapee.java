package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import io.forkpool.testsupport.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
        Path file = Path.of(pidFile);
        Await.until("the escapee's pid in " + file, Duration.ofSeconds(60), () -> {
            try {
                return Files.exists(file) && Files.size(file) > 0;
            } catch (IOException e) {
                return false; // written meanwhile: asked again
            }
        });
        return 1;
    }
}
