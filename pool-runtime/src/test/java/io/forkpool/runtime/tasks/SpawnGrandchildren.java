package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import java.io.IOException;

/**
 * Starts three long sleeps that outlive the task: a direct child, a double-forked one (its parent
 * shell exits at once, so it is no longer a descendant of the worker) and a nohup one. Each sleeps
 * for a duration derived from {@code tag}, so the test can find them in the process table.
 */
public final class SpawnGrandchildren implements Task<Integer, Long> {

    /** The sleep arguments for a tag: unique enough to find these processes and no others. */
    public static String[] sleeps(int tag) {
        return new String[] {"1000." + tag + "1", "1000." + tag + "2", "1000." + tag + "3"};
    }

    @Override
    public Long execute(Integer tag) throws IOException, InterruptedException {
        String[] sleeps = sleeps(tag);
        Process direct = new ProcessBuilder("sleep", sleeps[0]).start();
        // Constant shell text; the durations are passed as positional parameters, never spliced in.
        new ProcessBuilder("sh", "-c", "(sleep \"$1\" &)", "sh", sleeps[1]).start().waitFor();
        new ProcessBuilder("sh", "-c", "nohup sleep \"$1\" >/dev/null 2>&1 &", "sh", sleeps[2]).start().waitFor();
        return direct.pid();
    }
}
