package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Assertions about real processes. "Alive" means running: a zombie has exited, whatever
 * {@link ProcessHandle#isAlive()} says (it reports zombies as alive). This matters here because the
 * sandbox's pid 1 does not reap orphans, so an orphan that exits stays a zombie.
 */
final class Processes {

    private Processes() {
    }

    /** The state letter of /proc/PID/stat (R, S, Z…), or empty if the process is gone. */
    static Optional<Character> state(long pid) {
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
                    StandardCharsets.US_ASCII);
            return Optional.of(stat.charAt(stat.lastIndexOf(')') + 2));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static boolean alive(long pid) {
        Optional<Character> state = state(pid);
        if (state.isPresent()) {
            return state.get() != 'Z' && state.get() != 'X';
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !Files.isDirectory(Path.of("/proc"));
    }

    /** Waits up to {@code timeout} for every pid to have exited, then asserts it. */
    static void assertAllGone(Collection<Long> pids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && pids.stream().anyMatch(Processes::alive)) {
            Thread.sleep(10);
        }
        assertThat(pids.stream().filter(Processes::alive).toList()).as("pids still running").isEmpty();
    }

    /** Waits until none of the pids runs; returns how long that took, in nanoseconds. */
    static long nanosUntilAllGone(Collection<Long> pids, Duration timeout) throws InterruptedException {
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

    /** Live child processes of this JVM that run a forkpool worker, described for assertion messages. */
    static List<String> childWorkers() {
        return ProcessHandle.current().children()
                .filter(p -> alive(p.pid()))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("io.forkpool.worker.WorkerMain"))
                        .orElse(false))
                .map(p -> p.pid() + " started " + p.info().startInstant().orElse(null) + " "
                        + p.info().commandLine().orElse("?"))
                .toList();
    }

    /** Running processes whose command line contains {@code fragment}, other than this JVM. */
    static List<Long> running(String fragment) {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && alive(p.pid()))
                .filter(p -> p.info().commandLine().map(c -> c.contains(fragment)).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /** Children of this JVM in state Z: processes it started and never reaped. */
    static List<Long> zombieChildren() throws IOException {
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

    static Optional<Long> parentOf(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid);
    }
}
