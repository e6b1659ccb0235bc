package io.forkpool.internal.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A process that outlives its supervisor long enough to kill what the supervisor leaves behind.
 * One runs per supervisor JVM, in a session of its own, started as
 * {@code java -cp <this jar> io.forkpool.internal.process.Warden}; its standard input is a pipe
 * from the supervisor, which writes one line per change:
 *
 * <pre>
 *   S+ &lt;pid&gt;    a worker was started in the session &lt;pid&gt;
 *   S- &lt;pid&gt;    that worker's exit was handled and its session emptied
 *   D+ &lt;path&gt;   a pool's private socket directory was created
 *   D- &lt;path&gt;   that directory was removed
 * </pre>
 *
 * It prints {@code READY} once, and never writes again. When its standard input ends — the
 * supervisor exited, or was killed, even by SIGKILL: the kernel closes the pipe — or when it is
 * itself asked to terminate, it kills every session still listed until each is empty
 * ({@link Sessions#killUntilEmpty}), removes the directories still listed, and exits 0. A stopped
 * worker dies too: SIGKILL ends a stopped process. Malformed lines are ignored: the pipe is
 * private to the supervisor, and the warden must never act on anything it cannot parse.
 */
public final class Warden {

    /** How long a sweep keeps killing a fork loop before it gives up. */
    static final long SWEEP_BOUND_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What the warden prints once it listens. */
    public static final String READY = "READY";

    private final Set<Long> sessions = new LinkedHashSet<>();
    private final Set<Path> directories = new LinkedHashSet<>();
    private boolean swept;

    private Warden() {
    }

    /**
     * Runs the warden until its standard input ends.
     *
     * @param args none
     * @throws IOException never in practice: a failed read counts as the end of input
     */
    public static void main(String[] args) throws IOException {
        Warden warden = new Warden();
        Runtime.getRuntime().addShutdownHook(new Thread(warden::sweep, "forkpool-warden-sweep"));
        PrintStream out = System.out;
        out.println(READY);
        out.flush();
        out.close(); // nobody reads it once the supervisor is gone
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                warden.apply(line);
            }
        } catch (IOException e) {
            // a broken pipe means the same as the end of input
        }
        warden.sweep();
        System.exit(0);
    }

    /**
     * Applies one line of the supervisor's.
     *
     * @param line the line, without its terminator
     */
    synchronized void apply(String line) {
        if (line.length() < 4 || line.charAt(2) != ' ') {
            return;
        }
        String op = line.substring(0, 2);
        String arg = line.substring(3);
        switch (op) {
            case "S+", "S-" -> {
                long pid = pid(arg);
                if (pid > 1) {
                    if (op.equals("S+")) {
                        sessions.add(pid);
                    } else {
                        sessions.remove(pid);
                    }
                }
            }
            case "D+", "D-" -> {
                Path dir = Path.of(arg);
                if (dir.isAbsolute() && dir.getFileName() != null && dir.getFileName().toString().startsWith("forkpool-")) {
                    if (op.equals("D+")) {
                        directories.add(dir);
                    } else {
                        directories.remove(dir);
                    }
                }
            }
            default -> {
                // not a line of ours: ignored
            }
        }
    }

    /** @return the sessions it would kill now, for tests */
    synchronized Set<Long> sessions() {
        return Set.copyOf(sessions);
    }

    /** @return the directories it would remove now, for tests */
    synchronized Set<Path> directories() {
        return Set.copyOf(directories);
    }

    private static long pid(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }

    /** Kills every listed session until empty and removes every listed directory; once. */
    synchronized void sweep() {
        if (swept) {
            return;
        }
        swept = true;
        Sessions.killUntilEmpty(sessions, SWEEP_BOUND_NANOS);
        for (Path dir : directories) {
            removeDirectory(dir);
        }
    }

    /**
     * Removes a socket directory and the entries in it, without following a link: the directory
     * must be a real directory, and only entries that are not directories are removed.
     *
     * @param dir the directory
     */
    public static void removeDirectory(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(entry); // deletes a link itself, never its target
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException | RuntimeException e) {
            // best effort: what is left is an empty, private directory
        }
    }
}
