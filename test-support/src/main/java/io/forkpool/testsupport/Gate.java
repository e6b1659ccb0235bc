package io.forkpool.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A "task started / let it finish" gate between a test and the tasks it holds, in place of a
 * sleep that guesses a task has started. The gate is a directory, so it works across processes
 * and languages: a task given the gate's {@link #path()} as input {@linkplain #arrive(String)
 * arrives} (creates a file {@code started-*} in it) when it starts, then waits until the test has
 * {@linkplain #release() released} the gate (created the file {@code release} in it). The test
 * {@linkplain #awaitStarted(int, Duration) waits for the arrivals} it needs, acts on tasks it now
 * knows to be running, and releases them when it is done, or never, for a task that must be
 * cancelled or killed.
 *
 * <pre>{@code
 * // in the test
 * Gate gate = Gate.create(tempDir.resolve("gate"));
 * CompletableFuture<Long> held = pool.submit(HeldTask.class, gate.path());
 * gate.awaitStarted(Duration.ofSeconds(30));    // it runs now, for sure
 * ...
 * gate.release();                                 // it may finish
 *
 * // in the task, in the worker JVM
 * public Long execute(String gate) throws InterruptedException {
 *     Gate.pass(gate);                            // arrive, then wait for the release
 *     return ProcessHandle.current().pid();
 * }
 * }</pre>
 *
 * <p>The task side is static and needs nothing but the path, and this class needs nothing but the
 * JDK: it is on the workers' class path whenever it is on the tests' (the default). A task in
 * another language does the same with files: it creates a uniquely named file whose name starts
 * with {@code started-} in the directory, then waits for {@code release} to exist.
 *
 * <p>Every wait polls the directory every few milliseconds and is bounded: a task gives up after
 * {@link #RELEASE_BOUND} so a broken test cannot leave a worker waiting for ever. Thread-safe;
 * any number of tasks, in any number of processes, may use one gate.
 */
public final class Gate {

    /** How long a task waits for its release before it gives up with an exception. */
    public static final Duration RELEASE_BOUND = Duration.ofMinutes(2);
    /** The name of the file whose existence releases the gate. */
    public static final String RELEASE_FILE = "release";
    /** The prefix of the name of the file each arrival creates. */
    public static final String STARTED_PREFIX = "started-";

    private static final long POLL_MILLIS = 5;

    private final Path directory;

    private Gate(Path directory) {
        this.directory = directory;
    }

    /**
     * A new gate, not released, with nobody arrived.
     *
     * @param directory the gate's directory; created with its parents if missing, and must be
     *     empty: a gate is not reused
     * @return the gate
     * @throws IOException if the directory cannot be created or listed
     * @throws IllegalArgumentException if the directory is not empty
     */
    public static Gate create(Path directory) throws IOException {
        Files.createDirectories(directory);
        try (Stream<Path> entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException("a gate needs an empty directory: " + directory);
            }
        }
        return new Gate(directory.toAbsolutePath());
    }

    /**
     * The gate another process created, for a test's helper process that waits at it too (a
     * supervisor JVM that must know its tasks run before it says so).
     *
     * @param path the gate's {@link #path()}
     * @return the gate
     * @throws IllegalArgumentException if there is no such directory
     */
    public static Gate of(String path) {
        Path directory = Path.of(path).toAbsolutePath();
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("no gate at " + path);
        }
        return new Gate(directory);
    }

    /** @return the gate's directory as an absolute path string: what the tasks take as input */
    public String path() {
        return directory.toString();
    }

    /** @return the gate's directory */
    public Path directory() {
        return directory;
    }

    /**
     * How many times a task arrived so far. A task that was retried arrives once per attempt.
     *
     * @return the number of arrivals
     */
    public int started() {
        return arrivals(directory);
    }

    /**
     * Waits until at least one task arrived.
     *
     * @param timeout how long to wait at most
     * @throws AssertionError if none arrived within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitStarted(Duration timeout) throws InterruptedException {
        awaitStarted(1, timeout);
    }

    /**
     * Waits until at least {@code count} arrivals.
     *
     * @param count how many arrivals to wait for
     * @param timeout how long to wait at most
     * @throws AssertionError if fewer arrived within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitStarted(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int started;
        while ((started = started()) < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(started + " of " + count + " tasks started at gate " + directory
                        + " within " + timeout);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Releases the gate: every task waiting at it goes on, and any that arrives later passes at
     * once. Releasing twice is harmless.
     *
     * @throws IOException if the release file cannot be created
     */
    public void release() throws IOException {
        try {
            Files.createFile(directory.resolve(RELEASE_FILE));
        } catch (FileAlreadyExistsException e) {
            // released already
        }
    }

    /** @return whether the gate was released */
    public boolean isReleased() {
        return isReleased(path());
    }

    // The task side: static, given the gate's path.

    /**
     * Task side: arrives at the gate, then waits until it is released ({@link #arrive(String)},
     * then {@link #awaitRelease(String)}).
     *
     * @param gate the gate's {@link #path()}
     * @throws InterruptedException if interrupted while waiting, as a cancelled task is
     * @throws IllegalStateException if the gate is not released within {@link #RELEASE_BOUND}
     * @throws UncheckedIOException if the arrival cannot be recorded
     */
    public static void pass(String gate) throws InterruptedException {
        arrive(gate);
        awaitRelease(gate);
    }

    /**
     * Task side: records an arrival, a uniquely named {@code started-*} file in the gate's
     * directory, created atomically.
     *
     * @param gate the gate's {@link #path()}
     * @throws UncheckedIOException if the file cannot be created (no such gate, for one)
     */
    public static void arrive(String gate) {
        try {
            Files.createTempFile(Path.of(gate), STARTED_PREFIX + ProcessHandle.current().pid() + "-", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot arrive at gate " + gate, e);
        }
    }

    /**
     * Task side: waits until the gate is released, polling every few milliseconds.
     *
     * @param gate the gate's {@link #path()}
     * @throws InterruptedException if interrupted while waiting, as a cancelled task is
     * @throws IllegalStateException if the gate is not released within {@link #RELEASE_BOUND}
     */
    public static void awaitRelease(String gate) throws InterruptedException {
        long deadline = System.nanoTime() + RELEASE_BOUND.toNanos();
        while (!isReleased(gate)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("gate " + gate + " not released within " + RELEASE_BOUND);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Task side: whether the gate was released, for a task that must not wait in a way an
     * interrupt ends (it polls this in its own loop).
     *
     * @param gate the gate's {@link #path()}
     * @return whether the gate was released
     */
    public static boolean isReleased(String gate) {
        return Files.exists(Path.of(gate, RELEASE_FILE));
    }

    private static int arrivals(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return (int) entries.filter(p -> p.getFileName().toString().startsWith(STARTED_PREFIX)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list gate " + directory, e);
        }
    }

    @Override
    public String toString() {
        return "gate " + directory + (isReleased() ? " (released)" : "") + ", " + started() + " arrived";
    }
}
