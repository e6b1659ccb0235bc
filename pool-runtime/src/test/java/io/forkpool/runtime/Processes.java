package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Assertions about real processes. */
final class Processes {

    private Processes() {
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits up to {@code timeout} for every pid to be gone, then asserts it. */
    static void assertAllGone(Collection<Long> pids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && pids.stream().anyMatch(Processes::alive)) {
            Thread.sleep(10);
        }
        assertThat(pids.stream().filter(Processes::alive).toList()).as("pids still alive").isEmpty();
    }

    /** Live child processes of this JVM that run a forkpool worker, described for assertion messages. */
    static List<String> childWorkers() {
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("io.forkpool.worker.WorkerMain"))
                        .orElse(false))
                .map(p -> p.pid() + " started " + p.info().startInstant().orElse(null) + " "
                        + p.info().commandLine().orElse("?"))
                .toList();
    }

    static Optional<Long> parentOf(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid);
    }
}
