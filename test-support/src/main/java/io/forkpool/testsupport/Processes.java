package io.forkpool.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Facts and assertions about real processes. "Alive" means running: a zombie has exited, whatever
 * {@link ProcessHandle#isAlive()} says (it reports zombies as alive). This matters because a
 * sandbox's pid 1 may not reap orphans, so an orphan that exits stays a zombie. Reads
 * {@code /proc} where there is one.
 */
public final class Processes {

    /** The main class of a forkpool worker JVM, as it appears on the worker's command line. */
    public static final String WORKER_MAIN = "io.forkpool.worker.WorkerMain";

    private Processes() {
    }

    /**
     * The state letter of {@code /proc/PID/stat}.
     *
     * @param pid a process id
     * @return {@code R}, {@code S}, {@code Z}…; empty if the process is gone (or there is no {@code /proc})
     */
    public static Optional<Character> state(long pid) {
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
                    StandardCharsets.US_ASCII);
            return Optional.of(stat.charAt(stat.lastIndexOf(')') + 2));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a process runs: it exists and is neither a zombie nor dead.
     *
     * @param pid a process id
     * @return whether it runs
     */
    public static boolean alive(long pid) {
        Optional<Character> state = state(pid);
        if (state.isPresent()) {
            return state.get() != 'Z' && state.get() != 'X';
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !Files.isDirectory(Path.of("/proc"));
    }

    /**
     * Waits up to {@code timeout} for every pid to have exited (polling), then asserts it.
     *
     * @param pids process ids
     * @param timeout how long they have
     * @throws AssertionError naming the pids still running after the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public static void assertAllGone(Collection<Long> pids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && pids.stream().anyMatch(Processes::alive)) {
            Thread.sleep(10); // polls for the exits, within the deadline
        }
        List<Long> running = pids.stream().filter(Processes::alive).toList();
        if (!running.isEmpty()) {
            throw new AssertionError("pids still running after " + timeout + ": " + running);
        }
    }

    /**
     * Waits, spinning, until none of the pids runs, for a measurement of how long that took.
     *
     * @param pids process ids
     * @param timeout how long they have
     * @return how long until the last one was seen gone, in nanoseconds
     * @throws AssertionError naming the pids still running after the timeout
     */
    public static long nanosUntilAllGone(Collection<Long> pids, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (pids.stream().anyMatch(Processes::alive)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still running after " + timeout + ": "
                        + pids.stream().filter(Processes::alive).toList());
            }
            Thread.onSpinWait();
        }
        return System.nanoTime() - start;
    }

    /**
     * @return the pids of this JVM's live child processes that run a forkpool worker ({@link #WORKER_MAIN})
     */
    public static List<Long> childWorkerPids() {
        return ProcessHandle.current().children()
                .filter(p -> alive(p.pid()))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(WORKER_MAIN)).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /**
     * Live child processes of this JVM that run a forkpool worker ({@link #WORKER_MAIN}).
     *
     * @return one line per worker (pid, start instant, command line), for assertion messages
     */
    public static List<String> childWorkers() {
        return ProcessHandle.current().children()
                .filter(p -> alive(p.pid()))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(WORKER_MAIN)).orElse(false))
                .map(p -> p.pid() + " started " + p.info().startInstant().orElse(null) + " "
                        + p.info().commandLine().orElse("?"))
                .toList();
    }

    /**
     * Running processes, other than this JVM, whose command line contains a fragment.
     *
     * @param fragment text to look for in each command line
     * @return their pids
     */
    public static List<Long> running(String fragment) {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && alive(p.pid()))
                .filter(p -> p.info().commandLine().map(c -> c.contains(fragment)).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /**
     * Children of this JVM in state Z: processes it started and never reaped.
     *
     * @return their pids
     * @throws IOException if {@code /proc} cannot be listed
     */
    public static List<Long> zombieChildren() throws IOException {
        long self = ProcessHandle.current().pid();
        List<Long> zombies = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(entry.resolve("stat"), StandardCharsets.US_ASCII);
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3);
                    if (fields[0].equals("Z") && Long.parseLong(fields[1]) == self) {
                        zombies.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        }
        return zombies;
    }

    /**
     * The parent of a process.
     *
     * @param pid a process id
     * @return its parent's pid; empty if it is gone or has none
     */
    public static Optional<Long> parentOf(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid);
    }
}
