package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import io.forkpool.testsupport.Await;
import io.forkpool.testsupport.Gate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts every shape of process tree a task can leave behind, each process writing its pid to a
 * file {@code pid-*} in the directory given as the first input: a direct child, a double-forked
 * one (its parent shell exits at once, so it is no longer the worker's descendant), a
 * {@code nohup} one, one that ignores SIGTERM, and a shell that fans out ten children and waits
 * for them — {@value #PROCESSES} processes in all, each sleeping for {@code sleep} seconds.
 * Returns once every one has written its pid; with a gate as the second input it first arrives
 * there and waits for the release (so it is still running when the test acts).
 *
 * <p>The shell texts are constants; paths are passed as positional parameters, never spliced in.
 */
public final class StartTree implements Task<List<String>, Integer> {

    /** How many processes the tree has. */
    public static final int PROCESSES = 15;

    /** Writes its pid to the file {@code $1$2}, then becomes a long sleep. */
    private static final String SLEEPER = "echo $$ > \"$1$2\"; exec sleep 1000";

    private static List<String> sleeper(Path file) {
        return List.of("sh", "-c", SLEEPER, "sh", file.toString());
    }

    private static List<String> wrapped(String script, List<String> command) {
        List<String> full = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        full.addAll(command);
        return full;
    }

    @Override
    public Integer execute(List<String> input) throws IOException, InterruptedException {
        Path dir = Path.of(input.get(0));
        new ProcessBuilder(sleeper(dir.resolve("pid-direct"))).start();
        new ProcessBuilder(wrapped("(\"$@\" &)", sleeper(dir.resolve("pid-double")))).start().waitFor();
        new ProcessBuilder(wrapped("nohup \"$@\" >/dev/null 2>&1 &", sleeper(dir.resolve("pid-nohup")))).start().waitFor();
        new ProcessBuilder(wrapped("trap '' TERM; exec \"$@\"", sleeper(dir.resolve("pid-noterm")))).start();
        new ProcessBuilder(wrapped("echo $$ > \"$1\"; shift; for i in 1 2 3 4 5 6 7 8 9 10; do \"$@\" \"-$i\" & done; wait",
                List.of(dir.resolve("pid-fan").toString(), "sh", "-c", SLEEPER, "sh", dir.resolve("pid-fan").toString())))
                .start();
        Await.until(PROCESSES + " processes started in " + dir, Duration.ofSeconds(60),
                () -> uncheckedPids(dir).size() >= PROCESSES);
        if (input.size() > 1) {
            Gate.pass(input.get(1));
        }
        return PROCESSES;
    }

    private static List<Long> uncheckedPids(Path dir) {
        try {
            return pids(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The pids the tree's processes wrote so far.
     *
     * @param dir the directory given to the task
     * @return their pids
     * @throws IOException if the directory cannot be read
     */
    public static List<Long> pids(Path dir) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().startsWith("pid-")) {
                    String text = Files.readString(file).trim();
                    if (!text.isEmpty()) {
                        pids.add(Long.parseLong(text));
                    }
                }
            }
        }
        return pids;
    }
}
