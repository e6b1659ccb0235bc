package io.forkpool.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.forkpool.Task;
import io.forkpool.WorkerPoolBuilder;
import io.forkpool.examples.CountPrimes;
import io.forkpool.worker.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the conformance kit ({@code src/main/python/conformance.py}) against the three workers of
 * this repository: the Java worker, started as a pool starts it, the Python reference worker and
 * {@code minimal.py}. Each must pass every case that applies to it.
 */
class ConformanceKitIT {

    /**
     * Cases the Java worker is known to fail, each a finding of the kit that is being fixed in the
     * Java worker. The kit reports them as KNOWN, and fails the run once one of them passes, so
     * that the entry is removed with the fix.
     */
    private static final List<String> JAVA_KNOWN_FAILURES = List.of();

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void theJavaWorkerConforms(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(WorkerPoolBuilder.DEFAULT_JVM_OPTIONS);
        command.add("-XX:+ExitOnOutOfMemoryError"); // as the pool adds it
        command.add("-cp");
        command.add(javaWorkerClasspath());
        command.add(WorkerMain.class.getName());
        assertConforms(dir, JAVA_KNOWN_FAILURES, command, 560);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void thePythonWorkerConforms(@TempDir Path dir) throws Exception {
        assertConforms(dir, List.of(), List.of("python3", PythonWorkers.script().toString()), 280);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theMinimalWorkerConforms(@TempDir Path dir) throws Exception {
        assertConforms(dir, List.of(), List.of("python3", PythonWorkers.source("minimal.py").toString()), 280);
    }

    /** The jars the Java worker needs, taken from this test's class path: forkpool's, the example tasks, Jackson's. */
    private static String javaWorkerClasspath() throws URISyntaxException {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(WorkerMain.class, Task.class, CountPrimes.class, JsonMapper.class,
                JsonFactory.class, JsonProperty.class)) {
            String entry = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            if (!entries.contains(entry)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void assertConforms(Path dir, List<String> knownFailures, List<String> worker, long seconds)
            throws IOException, InterruptedException {
        // Exits "at once" within 5 s rather than the kit's 1 s, so that a loaded CI machine never
        // flakes (a JVM started a moment ago takes some 400 ms to exit here); the times are printed.
        List<String> command = new ArrayList<>(List.of("python3", PythonWorkers.source("conformance.py").toString(),
                "--jobs", "3", "--exit-within", "5"));
        knownFailures.forEach(known -> command.addAll(List.of("--known-failure", known)));
        command.add("--");
        command.addAll(worker);
        Path output = dir.resolve("kit.out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(PythonWorkers.module().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process kit = builder.start();
        try {
            kit.getOutputStream().close();
            boolean ended = kit.waitFor(seconds, TimeUnit.SECONDS);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            System.out.println(text);
            assertThat(ended).as("the kit is still running:%n%s", text).isTrue();
            assertThat(failures(text)).as(text).isEmpty();
            assertThat(kit.exitValue()).as(text).isZero();
            assertThat(text).containsPattern("\\n\\d+ passed, 0 failed, \\d+ skipped, " + knownFailures.size() + " known failures");
        } finally {
            kit.destroyForcibly(); // its workers die with it (setpriv --pdeathsig), and it SIGKILLs each one it ends
        }
    }

    private static List<String> failures(String output) {
        try (Stream<String> lines = output.lines()) {
            return lines.filter(line -> line.startsWith("FAIL")).collect(Collectors.toList());
        }
    }
}
