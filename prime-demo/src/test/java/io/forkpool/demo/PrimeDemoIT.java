package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs the shaded jar as a user would: {@code java -jar primes.jar ...} in a child process. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrimeDemoIT {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path temp;

    /** The 10M pool run, shared by the test of its output and the test that its workers are gone. */
    private Run poolRun;

    /** A finished child process: its exit code and everything it wrote. */
    record Run(int exitCode, List<String> stdout, List<String> stderr) {
        JsonNode lastLineAsJson() {
            assertThat(stdout).as("stdout").isNotEmpty();
            return MAPPER.readTree(stdout.get(stdout.size() - 1));
        }
    }

    @Test
    @Timeout(120)
    void poolCountsPrimesBelowTenMillionOnTwoWorkers() throws Exception {
        Run run = poolRun();

        assertThat(run.exitCode()).as("exit code, stderr: %s", run.stderr()).isZero();
        JsonNode json = run.lastLineAsJson();
        assertThat(json.get("count").asLong()).isEqualTo(664_579);
        assertThat(json.get("upTo").asLong()).isEqualTo(10_000_000);
        assertThat(json.get("mode").asString()).isEqualTo("pool");
        assertThat(json.get("workers").asInt()).isEqualTo(2);
        assertThat(json.get("tasks").asInt()).isEqualTo(100);
        assertThat(pids(json)).hasSize(2).doesNotHaveDuplicates().allMatch(pid -> pid > 0);
        assertThat(sum(json.get("tasksPerWorker"))).isEqualTo(100);
        assertThat(json.get("restarts").asLong()).isZero();
        assertThat(json.get("readyMillis").asLong()).isBetween(0L, json.get("wallMillis").asLong());
    }

    @Test
    @Timeout(120)
    void workersAreGoneOnceTheDemoHasExited() throws Exception {
        List<Long> pids = pids(poolRun().lastLineAsJson());

        assertThat(pids).isNotEmpty();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("worker pid %d alive", pid)
                    .isNotEqualTo(java.util.Optional.of(true));
        }
    }

    @Test
    @Timeout(120)
    void inProcessBaselineCountsPrimesBelowOneMillion() throws Exception {
        Run run = runJar("--in-process", "--up-to", "1000000", "--json");

        assertThat(run.exitCode()).as("exit code, stderr: %s", run.stderr()).isZero();
        JsonNode json = run.lastLineAsJson();
        assertThat(json.get("count").asLong()).isEqualTo(78_498);
        assertThat(json.get("mode").asString()).isEqualTo("in-process");
        assertThat(json.get("readyMillis").asLong()).isZero();
        assertThat(pids(json)).isEmpty();
    }

    @Test
    @Timeout(120)
    void badArgumentExitsWithTwoAndOneErrorLine() throws Exception {
        Run run = runJar("--workers", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).hasSize(1);
        assertThat(run.stderr().get(0)).startsWith("primes: ").contains("--workers", "--help");
    }

    @Test
    @Timeout(120)
    void helpExitsWithZero() throws Exception {
        Run run = runJar("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(String.join("\n", run.stdout())).contains("--up-to", "--chunk", "--workers", "--in-process",
                "--json", "--max-attempts", "--java", "--help");
        assertThat(run.stderr()).isEmpty();
    }

    private synchronized Run poolRun() throws Exception {
        if (poolRun == null) {
            poolRun = runJar("--up-to", "10000000", "--workers", "2", "--json");
        }
        return poolRun;
    }

    @Test
    @Timeout(240)
    void countsExactlyWhileItsWorkersAreSigkilledAtRandom() throws Exception {
        Started demo = startJar("--up-to", "20000000", "--workers", "2", "--json", "--max-attempts", "10");
        List<Long> killed = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        try {
            while (demo.process().isAlive() && killed.size() < 8) {
                Thread.sleep(300 + random.nextInt(500));
                // Only workers that have had time to boot: killing a starting one would test the
                // crash-loop guard, not the retries.
                List<ProcessHandle> grown = demo.process().children()
                        .filter(p -> !p.info().commandLine().orElse("").contains("ArchiveRecorder"))
                        .filter(p -> p.info().startInstant()
                                .map(t -> t.isBefore(java.time.Instant.now().minusSeconds(2))).orElse(false))
                        .toList();
                if (!grown.isEmpty()) {
                    ProcessHandle victim = grown.get(random.nextInt(grown.size()));
                    if (victim.destroyForcibly()) {
                        killed.add(victim.pid());
                    }
                }
            }
            Run run = demo.finish();
            assertThat(run.exitCode()).as("exit code, stderr: %s", run.stderr()).isZero();
            JsonNode json = run.lastLineAsJson();
            assertThat(json.get("count").asLong()).isEqualTo(1_270_607);
            assertThat(killed).isNotEmpty();
            // A kill that lands while the demo is already closing its pool is not followed by a restart.
            assertThat(json.get("restarts").asLong()).isBetween(1L, (long) killed.size());
            List<Long> all = new ArrayList<>(killed);
            all.addAll(pids(json));
            for (long pid : all) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("pid %d", pid)
                        .isNotEqualTo(java.util.Optional.of(true));
            }
            System.out.println("demo under fire: " + killed.size() + " workers SIGKILLed, count exact, wall "
                    + json.get("wallMillis").asLong() + " ms");
        } finally {
            destroyTree(demo.process());
        }
    }

    /**
     * Waits for the demo's class-data archive recorder (a JVM that may outlive a short demo run)
     * to finish, so no process of this test outlives it.
     */
    @org.junit.jupiter.api.AfterAll
    static void awaitArchiveRecorders() throws Exception {
        Path cache = Path.of(System.getProperty("forkpool.cache.dir"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && Files.isDirectory(cache)) {
            try (java.util.stream.Stream<Path> files = Files.list(cache)) {
                if (files.noneMatch(p -> p.toString().endsWith(".lock"))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
    }

    /** A demo process still running, with the files its output goes to. */
    private record Started(Process process, Path out, Path err) {
        Run finish() throws IOException, InterruptedException {
            assertThat(process.waitFor(200, TimeUnit.SECONDS)).as("demo finished in time").isTrue();
            return new Run(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
        }
    }

    private Run runJar(String... args) throws IOException, InterruptedException {
        Started started = startJar(args);
        try {
            return started.finish();
        } finally {
            destroyTree(started.process());
        }
    }

    private Started startJar(String... args) throws IOException {
        String jar = System.getProperty("primes.jar");
        assertThat(jar).as("system property primes.jar (set by failsafe)").isNotNull();
        assertThat(Path.of(jar)).exists();
        // The demo's class-data archive goes to this build's target/, as the tests' own pools' do.
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dforkpool.cache.dir=" + System.getProperty("forkpool.cache.dir"), "-jar", jar));
        command.addAll(List.of(args));
        // Files, not pipes: the child can never block on a full pipe while we wait for it.
        Path out = Files.createTempFile(temp, "stdout", ".txt");
        Path err = Files.createTempFile(temp, "stderr", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                .start();
        return new Started(process, out, err);
    }

    /** Ends a demo still running (a failed or timed-out test) and any workers it left. */
    private static void destroyTree(Process process) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy(); // lets the pool's shutdown hook stop its workers
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static List<Long> pids(JsonNode json) {
        List<Long> pids = new ArrayList<>();
        json.get("workerPids").forEach(pid -> pids.add(pid.asLong()));
        return pids;
    }

    private static long sum(JsonNode numbers) {
        long sum = 0;
        for (JsonNode number : numbers) {
            sum += number.asLong();
        }
        return sum;
    }
}
