package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.testsupport.Processes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

    private record Supervisor(Process process, List<Long> workerPids) {
    }

    private static Supervisor startSupervisor(Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StandaloneSupervisor.class.getName())
                .redirectError(log.toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<Long> pids = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.equals("BUSY")) {
            if (line.startsWith("PIDS ")) {
                Arrays.stream(line.substring(5).split(" ")).map(Long::valueOf).forEach(pids::add);
            }
        }
        assertThat(line).as("supervisor output; see " + log).isEqualTo("BUSY");
        assertThat(pids).hasSize(2).allMatch(Processes::alive);
        return new Supervisor(process, pids);
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
