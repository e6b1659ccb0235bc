package io.forkpool.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process a test started, its standard output and error going to files and its standard input
 * reading {@code /dev/null}. Files, not pipes: the child can never block on a full pipe that
 * nobody reads, and what it wrote is still there for the failure message after it died. Started
 * without a shell, so every argument reaches the child as it is.
 *
 * <p>Thread-safe: a test may read the output while another thread waits for the exit.
 */
public final class ChildProcess {

    private static final long POLL_MILLIS = 10;

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts a process with its standard output and its standard error in two files.
     *
     * @param command the program and its arguments, for example a {@link ChildJvm#command()}
     * @param stdout the file for its standard output, created or truncated
     * @param stderr the file for its standard error, created or truncated
     * @return the running process
     * @throws IOException if it cannot be started
     */
    public static ChildProcess start(List<String> command, Path stdout, Path stderr) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                .start();
        return new ChildProcess(process, stdout, stderr);
    }

    /**
     * Starts a process with its standard output and error merged into one file, in the order
     * written.
     *
     * @param command the program and its arguments, for example a {@link ChildJvm#command()}
     * @param output the file for both streams, created or truncated
     * @return the running process
     * @throws IOException if it cannot be started
     */
    public static ChildProcess startMerged(List<String> command, Path output) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                .start();
        return new ChildProcess(process, output, output);
    }

    /** @return the process */
    public Process process() {
        return process;
    }

    /** @return the file its standard output goes to */
    public Path stdoutFile() {
        return stdout;
    }

    /** @return the file its standard error goes to; the output file if the two are merged */
    public Path stderrFile() {
        return stderr;
    }

    /**
     * What it wrote to standard output so far, decoded leniently (the file may end in the middle
     * of a character being written).
     *
     * @return the text; empty if nothing was written yet
     * @throws IOException if the file cannot be read
     */
    public String stdout() throws IOException {
        return read(stdout);
    }

    /**
     * What it wrote to standard error so far (everything, if the streams are merged), decoded
     * leniently.
     *
     * @return the text; empty if nothing was written yet
     * @throws IOException if the file cannot be read
     */
    public String stderr() throws IOException {
        return read(stderr);
    }

    /**
     * Waits for a complete line of standard output (one its newline ended) that matches, polling
     * the file.
     *
     * @param matches what the line must satisfy
     * @param timeout how long to wait at most
     * @return the first matching line; empty if the process exited without writing one, or if
     *     none came within the timeout
     * @throws IOException if the file cannot be read
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<String> awaitLine(Predicate<String> matches, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean exited = !process.isAlive(); // read after: what it wrote before exiting is in the file
            Optional<String> line = completeLines(stdout()).stream().filter(matches).findFirst();
            if (line.isPresent() || exited || System.nanoTime() - deadline > 0) {
                return line;
            }
            Thread.sleep(POLL_MILLIS); // polls for the line, within the deadline
        }
    }

    /**
     * Waits for the process to exit.
     *
     * @param timeout how long to wait at most
     * @return whether it exited within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Ends the process if it still runs, and every process it started: SIGTERM first, so that a
     * JVM's shutdown hooks can stop what it started; SIGKILL after {@code grace}; then SIGKILL for
     * every descendant seen before the SIGTERM that is still there. Keeps the caller's interrupt
     * status, and still ends the processes if the caller was interrupted (a test that timed out).
     *
     * @param grace how long the process gets to exit after SIGTERM
     */
    public void destroyTree(Duration grace) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!process.isAlive()) {
                return;
            }
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                interrupted = true;
                process.destroyForcibly();
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGKILL for the process alone: it gets no chance to stop what it started. */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * The lines of a text that a newline ended; a last line still being written is left out.
     *
     * @param text the text
     * @return its complete lines, without their line ends
     */
    static List<String> completeLines(String text) {
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end + 1).lines().toList();
    }

    private static String read(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    @Override
    public String toString() {
        return "process " + process.pid() + " (output in " + Objects.toString(stdout) + ")";
    }
}
