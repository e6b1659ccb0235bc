package io.forkpool.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

    @Test
    void busyPythonWorkersExitWhenTheirSupervisorIsKilled(@TempDir Path dir) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            Path log = dir.resolve("supervisor-" + round + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process supervisor = new ProcessBuilder(java, "-Dbasedir=" + PythonWorkers.module(),
                    "-cp", System.getProperty("java.class.path"), PythonSupervisor.class.getName())
                    .redirectError(log.toFile())
                    .start();
            List<Long> pids = new ArrayList<>();
            try {
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(supervisor.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.equals("BUSY")) {
                    if (line.startsWith("PIDS ")) {
                        Arrays.stream(line.substring(5).split(" ")).map(Long::valueOf).forEach(pids::add);
                    }
                }
                assertThat(line).as("supervisor output; see " + log + ": " + read(log)).isEqualTo("BUSY");
                assertThat(pids).hasSize(2).allMatch(PythonLifelineIT::running);
                for (long pid : pids) {
                    assertThat(commandLine(pid)).contains("forkpool_worker.py");
                }

                supervisor.destroyForcibly();
                long start = System.nanoTime();
                long deadline = start + BOUND.toNanos();
                while (pids.stream().anyMatch(PythonLifelineIT::running) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(pids.stream().filter(PythonLifelineIT::running).toList())
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

    /** Running, not a zombie: this sandbox's pid 1 does not reap orphans. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }
}
