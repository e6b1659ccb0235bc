package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.ChildProcess;
import io.forkpool.testsupport.Gate;
import io.forkpool.testsupport.Processes;
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
 * No worker outlives its supervisor: a separate supervisor JVM gets busy workers, then dies.
 * Each worker is in a CPU loop (one also registered a shutdown hook that never returns).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ParentDeathIT {

    /** The bound the issue sets; the measured times are printed for the record. */
    private static final Duration BOUND = Duration.ofSeconds(1);
    /** How long a supervisor may take to start its pool and get both tasks running: generous. */
    private static final Duration SUPERVISOR_START = Duration.ofSeconds(120);

    private record Supervisor(Process process, List<Long> workerPids) {
    }

    private static Supervisor startSupervisor(Path log) throws Exception {
        String name = log.getFileName().toString().replaceFirst("\\.log$", "");
        Gate gate = Gate.create(log.resolveSibling(name + "-gate"));
        ChildProcess child = ChildProcess.start(
                ChildJvm.mainClass(StandaloneSupervisor.class).args(gate.path()).command(),
                log.resolveSibling(name + ".out"), log);
        List<Long> pids = new ArrayList<>();
        try {
            // The supervisor says BUSY once both tasks arrived at the gate.
            String line = child.awaitLine("BUSY"::equals, SUPERVISOR_START).orElse(null);
            child.stdout().lines().filter(l -> l.startsWith("PIDS ")).findFirst().ifPresent(
                    l -> Arrays.stream(l.substring(5).split(" ")).map(Long::valueOf).forEach(pids::add));
            assertThat(line).as("supervisor output; see " + log).isEqualTo("BUSY");
            assertThat(pids).hasSize(2).allMatch(Processes::alive);
        } catch (Throwable e) {
            child.destroyTree(Duration.ofSeconds(10));
            throw e;
        }
        return new Supervisor(child.process(), pids);
    }

    @Test
    void busyWorkersExitWithinASecondOfTheirSupervisorsSigkillTenTimesInARow(@TempDir Path dir) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            Supervisor supervisor = startSupervisor(dir.resolve("supervisor-" + round + ".log"));
            try {
                supervisor.process().destroyForcibly(); // SIGKILL: no hook, no close(), nothing runs
                long nanos = Processes.nanosUntilAllGone(supervisor.workerPids(), Duration.ofSeconds(10));
                millis.add(TimeUnit.NANOSECONDS.toMicros(nanos) / 1000);
                assertThat(Duration.ofNanos(nanos)).as("round " + round).isLessThan(BOUND);
            } finally {
                supervisor.process().destroyForcibly();
                supervisor.workerPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
        }
        Collections.sort(millis);
        System.out.println("parent SIGKILL -> all workers gone, ms (sorted): " + millis + "; median "
                + millis.get(millis.size() / 2) + ", max " + millis.get(millis.size() - 1));
    }

    @Test
    void sigtermClosesTheSupervisorsPoolsThroughItsShutdownHook(@TempDir Path dir) throws Exception {
        Supervisor supervisor = startSupervisor(dir.resolve("supervisor.log"));
        try {
            supervisor.process().destroy(); // SIGTERM
            assertThat(supervisor.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            Processes.assertAllGone(supervisor.workerPids(), Duration.ofSeconds(5));
            String log = java.nio.file.Files.readString(dir.resolve("supervisor.log"));
            assertThat(log).contains("pool standalone closed");
        } finally {
            supervisor.process().destroyForcibly();
        }
    }
}
