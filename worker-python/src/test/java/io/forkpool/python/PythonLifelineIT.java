package io.forkpool.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.ChildProcess;
import io.forkpool.testsupport.Gate;
import io.forkpool.testsupport.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python worker honours the lifeline: when its supervisor JVM is killed with SIGKILL (nothing
 * runs in it, no close, no hook), busy Python workers exit on their own because their standard
 * input reaches end-of-file.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PythonLifelineIT {

    /** Generous, so a loaded CI machine never flakes; the measured times are printed. */
    private static final Duration BOUND = Duration.ofSeconds(5);
    /** How long a supervisor may take to start its pool and get both tasks running: generous. */
    private static final Duration SUPERVISOR_START = Duration.ofSeconds(120);

    @Test
    void busyPythonWorkersExitWhenTheirSupervisorIsKilled(@TempDir Path dir) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            Path log = dir.resolve("supervisor-" + round + ".log");
            Gate gate = Gate.create(dir.resolve("gate-" + round));
            ChildProcess child = ChildProcess.start(ChildJvm.mainClass(PythonSupervisor.class)
                    .jvmOptions("-Dbasedir=" + PythonWorkers.module()).args(gate.path()).command(),
                    dir.resolve("supervisor-" + round + ".out"), log);
            Process supervisor = child.process();
            List<Long> pids = new ArrayList<>();
            try {
                // The supervisor says BUSY once both tasks arrived at the gate.
                String line = child.awaitLine("BUSY"::equals, SUPERVISOR_START).orElse(null);
                child.stdout().lines().filter(l -> l.startsWith("PIDS ")).findFirst().ifPresent(
                        l -> Arrays.stream(l.substring(5).split(" ")).map(Long::valueOf).forEach(pids::add));
                assertThat(line).as("supervisor output; see " + log + ": " + read(log)).isEqualTo("BUSY");
                assertThat(pids).hasSize(2).allMatch(Processes::alive);
                for (long pid : pids) {
                    assertThat(commandLine(pid)).contains("forkpool_worker.py");
                }

                supervisor.destroyForcibly();
                long start = System.nanoTime();
                long deadline = start + BOUND.toNanos();
                while (pids.stream().anyMatch(Processes::alive) && System.nanoTime() < deadline) {
                    Thread.sleep(5); // polls for the exits, within the deadline
                }
                assertThat(pids.stream().filter(Processes::alive).toList())
                        .as("Python workers still running " + BOUND + " after their supervisor's SIGKILL").isEmpty();
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            } finally {
                supervisor.destroyForcibly();
                pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
        }
        Collections.sort(millis);
        System.out.println("supervisor SIGKILL -> Python workers gone, ms (sorted): " + millis);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String commandLine(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
    }
}
