package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.ChildProcess;
import io.forkpool.testsupport.ClusterNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs the shaded jar as a user would: {@code java -jar primes.jar ...} in a child process. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrimeDemoIT {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** How long a node may take to start its worker and join: generous, as the machine may be busy. */
    private static final Duration NODE_START = Duration.ofSeconds(90);
    /**
     * How long a demo still running (a failed or timed-out test) has after SIGTERM, which lets its
     * pool's shutdown hook stop its workers, before it and any workers it left are SIGKILLed.
     */
    private static final Duration DESTROY_GRACE = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    /** The 10M pool run, shared by the test of its output and the test that its workers are gone. */
    private Run poolRun;

    /**
     * A finished child process: its exit code and everything it wrote, as lines and, for stderr,
     * as written (a bar's {@code \r} would split lines).
     */
    record Run(int exitCode, List<String> stdout, List<String> stderr, String stderrText) {
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
        assertStatsOfACleanRun(json, 100);
    }

    @Test
    @Timeout(120)
    void plainProgressLinesGoToStderrWhenAsked() throws Exception {
        Run run = runJar("--up-to", "2000000", "--workers", "2", "--json", "--progress", "plain");

        assertThat(run.exitCode()).as("exit code, stderr: %s", run.stderr()).isZero();
        JsonNode json = run.lastLineAsJson();
        assertThat(json.get("count").asLong()).isEqualTo(148_933);
        assertStatsOfACleanRun(json, 20);
        assertThat(run.stdout()).as("stdout holds the result only").hasSize(1);
        assertThat(run.stderr()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("primes: "));
        assertThat(run.stderr().get(run.stderr().size() - 1))
                .matches("primes: 20/20 tasks \\(100%\\) done in \\d+\\.\\ds, .* tasks/s, workers 2/2 alive, 0 restarts");
    }

    @Test
    @Timeout(120)
    void aForcedBarIsDrawnInPlaceAndErasedBeforeTheSummary() throws Exception {
        Run run = runJar("--up-to", "2000000", "--workers", "2", "--progress", "bar");

        assertThat(run.exitCode()).as("exit code, stderr: %s", run.stderr()).isZero();
        String stderr = run.stderrText();
        // The pool takes a while to start, so at least the "starting" line is drawn.
        assertThat(stderr).startsWith("\r").contains("\u001b[K", "starting 2 worker JVMs... ")
                .endsWith("\r\u001b[K").doesNotContain("\n");
        assertThat(run.stdout()).startsWith("148,933 primes below 2,000,000",
                "mode pool: 2 worker JVMs, 20 tasks of up to 100,000 numbers");
        assertThat(run.stdout()).anySatisfy(line -> assertThat(line).startsWith("worker ").contains("pid", "tasks"));
        assertThat(run.stdout()).anySatisfy(line -> assertThat(line).startsWith("round trip "));
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--workers 0", "--bogus", "--up-to", "--up-to ten", "--progress sometimes",
        "--java /no/such/java"})
    @Timeout(120)
    void badArgumentExitsWithTwoAndOneErrorLine(String commandLine) throws Exception {
        Run run = runJar(commandLine.split(" "));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).hasSize(1);
        assertThat(run.stderr().get(0)).startsWith("primes: ").contains(commandLine.split(" ")[0])
                .endsWith("(try --help)");
    }

    @Test
    @Timeout(120)
    void helpExitsWithZero() throws Exception {
        Run run = runJar("--help");

        assertThat(run.exitCode()).isZero();
        String usage = String.join("\n", run.stdout());
        assertThat(usage).contains("--up-to", "--chunk", "--workers", "--in-process", "--cluster",
                "--json", "--max-attempts", "--java", "--progress", "--help");
        assertThat(usage.split("\\(default ", -1)).as("options with a default").hasSize(10);
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
        Started demo = startJar("--up-to", "20000000", "--workers", "2", "--json", "--max-attempts", "10",
                "--progress", "plain");
        List<Long> killed = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        try {
            // Only workers that have had time to boot: killing a starting one would test the
            // start-up failure or the crash-loop guard, not the retries. The first workers are
            // ready once a progress line counts tasks (the pool was built); a replacement counts
            // as grown 2 s after this test first saw it. The test's own clock, not the process's
            // start instant, which Linux derives from a boot time in whole seconds.
            awaitTasksRunning(demo);
            java.util.Map<Long, Long> firstSeen = new java.util.HashMap<>();
            long grownBefore = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);
            demo.process().children().forEach(p -> firstSeen.put(p.pid(), grownBefore));
            while (demo.process().isAlive() && killed.size() < 8) {
                // The stimulus: kills at random intervals; nothing is assumed to have happened.
                Thread.sleep(300 + random.nextInt(500));
                long now = System.nanoTime();
                List<ProcessHandle> grown = demo.process().children()
                        .filter(p -> !p.info().commandLine().orElse("").contains("ArchiveRecorder"))
                        .filter(p -> now - firstSeen.computeIfAbsent(p.pid(), pid -> now)
                                >= TimeUnit.SECONDS.toNanos(2))
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
            JsonNode stats = json.get("stats");
            assertThat(stats.get("workerRestarts").asLong()).isEqualTo(json.get("restarts").asLong());
            assertThat(stats.get("crashes").asLong()).isBetween(1L, (long) killed.size());
            assertThat(stats.get("succeeded").asLong()).isEqualTo(200);
            // A task whose worker was killed under it is answered once, by the worker that retried it.
            assertThat(sum(stats.get("workers").findValues("tasks"))).isEqualTo(200);
            List<Long> all = new ArrayList<>(killed);
            all.addAll(pids(json));
            for (long pid : all) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("pid %d", pid)
                        .isNotEqualTo(java.util.Optional.of(true));
            }
            System.out.println("demo under fire: " + killed.size() + " workers SIGKILLed, count exact, wall "
                    + json.get("wallMillis").asLong() + " ms");
        } finally {
            demo.child().destroyTree(DESTROY_GRACE);
        }
    }

    /**
     * Two real nodes started from forkpool-node.jar, one worker each, with primes.jar as their task
     * class path, as a user would start them: A first, then B joining through A, so that they form
     * one cluster before the demo connects. Every node and worker process must be gone afterwards.
     */
    @Test
    @Timeout(300)
    void countsPrimesOnAClusterOfTwoNodes() throws Exception {
        List<ClusterNode> nodes = new ArrayList<>();
        List<ProcessHandle> processes = new ArrayList<>();
        try {
            int portA = ClusterNode.freePort();
            ClusterNode a = startNode(portA, portA);
            nodes.add(a);
            a.awaitReady(NODE_START);
            ClusterNode b = startNode(ClusterNode.freePort(), portA);
            nodes.add(b);
            assertThat(b.awaitReady(NODE_START)).startsWith("forkpool node ready at " + b.address() + ": ")
                    .endsWith(", cluster of 2");
            nodes.forEach(node -> processes.addAll(node.process().descendants().toList()));

            Run run = runJar("--up-to", "2000000", "--cluster", a.address() + "," + b.address(), "--json");

            assertThat(run.exitCode()).as("exit code, stderr: %s", run.stderr()).isZero();
            assertThat(run.stderr()).as("stderr: Hazelcast stays quiet").isEmpty();
            JsonNode json = run.lastLineAsJson();
            assertThat(json.get("count").asLong()).isEqualTo(148_933);
            assertThat(json.get("mode").asString()).isEqualTo("cluster");
            assertThat(json.get("tasks").asInt()).isEqualTo(20);
            assertThat(json.get("workers").asInt()).as("the members' workers").isEqualTo(2);
            JsonNode members = json.get("members");
            assertThat(members.findValues("address")).extracting(JsonNode::asString)
                    .containsExactlyInAnyOrder(a.address(), b.address());
            assertThat(members.findValues("tasks")).as("tasks per member")
                    .allSatisfy(tasks -> assertThat(tasks.asLong()).isPositive());
            assertThat(sum(members.findValues("tasks"))).isEqualTo(json.get("tasks").asLong());
            assertThat(members.findValues("lost")).allSatisfy(lost -> assertThat(lost.asLong()).isZero());
            assertThat(members.findValues("present")).allSatisfy(present -> assertThat(present.asBoolean()).isTrue());
            assertThat(json.get("stats").get("succeeded").asLong()).isEqualTo(20);
            assertThat(json.get("stats").get("workers")).as("the workers are the members'").isEmpty();
            assertThat(pids(json)).isEmpty();
        } finally {
            stopNodes(nodes, processes);
        }
    }

    /**
     * Starts a node on {@code port} that joins through {@code joinPort} (its own for the first),
     * with primes.jar as its task class path; what it writes, stdout and stderr, goes to a file in
     * the test's temporary directory. Its pool's class-data archives go to this build's target/, as
     * the demo's do.
     */
    private ClusterNode startNode(int port, int joinPort) throws IOException {
        String nodeJar = System.getProperty("forkpool.node.jar");
        assertThat(nodeJar).as("system property forkpool.node.jar (set by failsafe)").isNotNull();
        assertThat(Path.of(nodeJar)).as("the node launcher; mvn -pl pool-cluster package builds it").exists();
        return ClusterNode.builder(Path.of(nodeJar)).port(port).workers(1)
                .join(List.of(ClusterNode.loopback(joinPort)))
                .taskClasspath(List.of(System.getProperty("primes.jar")))
                .jvmOptions("-Dforkpool.cache.dir=" + System.getProperty("forkpool.cache.dir"))
                .log(Files.createTempFile(temp, "node-" + port, ".log"))
                .start();
    }

    /**
     * Stops the nodes as an operator would, SIGTERM and SIGKILL after 20 s, and checks that they and
     * their workers are gone within 30 s. A class-data archive recording a node started is left to
     * {@link #awaitArchiveRecorders}: it outlives its node by design.
     *
     * @param seen processes of the nodes seen earlier, added to those seen now
     */
    private static void stopNodes(List<ClusterNode> nodes, List<ProcessHandle> seen) throws InterruptedException {
        // A test that timed out was interrupted; its nodes must be stopped all the same.
        boolean interrupted = Thread.interrupted();
        List<ProcessHandle> all = new ArrayList<>(seen);
        for (ClusterNode node : nodes) {
            all.add(node.process().toHandle());
            all.addAll(node.process().descendants().toList());
        }
        all.removeIf(PrimeDemoIT::recordsAnArchive);
        nodes.forEach(node -> node.process().destroy());
        for (ClusterNode node : nodes) {
            if (!node.process().waitFor(20, TimeUnit.SECONDS)) {
                node.process().destroyForcibly();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50); // polls for the exits, within the deadline
        }
        List<ProcessHandle> alive = all.stream().filter(ProcessHandle::isAlive).toList();
        alive.forEach(ProcessHandle::destroyForcibly);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        assertThat(alive).as("node and worker processes still alive 30 s after the nodes were stopped").isEmpty();
    }

    /** The recorder of a class-data archive, or the JVM it records with. */
    private static boolean recordsAnArchive(ProcessHandle process) {
        String command = process.info().commandLine().orElse("");
        return command.contains("ArchiveRecorder") || command.contains("-XX:ArchiveClassesAtExit");
    }

    /** Waits until a plain progress line counts tasks, which the demo writes only once its pool is built. */
    private static void awaitTasksRunning(Started demo) throws IOException, InterruptedException {
        while (demo.process().isAlive() && !Files.readString(demo.err()).contains(" tasks (")) {
            Thread.sleep(20); // polls for the line, while the demo runs (and within the test's timeout)
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
            Thread.sleep(50); // polls for the recorders' locks to go, within the deadline
        }
    }

    /** A demo process still running, with the files its output goes to. */
    private record Started(ChildProcess child, Path out, Path err) {
        Process process() {
            return child.process();
        }

        Run finish() throws IOException, InterruptedException {
            assertThat(process().waitFor(200, TimeUnit.SECONDS)).as("demo finished in time").isTrue();
            return new Run(process().exitValue(), Files.readAllLines(out), Files.readAllLines(err),
                    Files.readString(err));
        }
    }

    private Run runJar(String... args) throws IOException, InterruptedException {
        Started started = startJar(args);
        try {
            return started.finish();
        } finally {
            started.child().destroyTree(DESTROY_GRACE);
        }
    }

    private Started startJar(String... args) throws IOException {
        String jar = System.getProperty("primes.jar");
        assertThat(jar).as("system property primes.jar (set by failsafe)").isNotNull();
        assertThat(Path.of(jar)).exists();
        // The demo's class-data archive goes to this build's target/, as the tests' own pools' do.
        List<String> command = ChildJvm.jar(Path.of(jar))
                .jvmOptions("-Dforkpool.cache.dir=" + System.getProperty("forkpool.cache.dir")).args(args).command();
        // Files, not pipes: the child can never block on a full pipe while we wait for it.
        Path out = Files.createTempFile(temp, "stdout", ".txt");
        Path err = Files.createTempFile(temp, "stderr", ".txt");
        return new Started(ChildProcess.start(command, out, err), out, err);
    }

    /** The stats of a run in which no worker died: they agree with the top-level fields and add up. */
    private static void assertStatsOfACleanRun(JsonNode json, int tasks) {
        JsonNode stats = json.get("stats");
        assertThat(stats).as("stats").isNotNull();
        List<Long> statsPids = new ArrayList<>();
        stats.get("workers").forEach(worker -> statsPids.add(worker.get("pid").asLong()));
        assertThat(statsPids).isEqualTo(pids(json));
        assertThat(sum(stats.get("workers").findValues("tasks"))).isEqualTo(tasks);
        assertThat(stats.get("workers").findValues("restarts")).allSatisfy(r -> assertThat(r.asLong()).isZero());
        assertThat(stats.get("submitted").asLong()).isEqualTo(tasks);
        assertThat(stats.get("succeeded").asLong()).isEqualTo(tasks);
        assertThat(stats.get("failed").asLong()).isZero();
        assertThat(stats.get("retried").asLong()).isZero();
        assertThat(stats.get("crashes").asLong()).isZero();
        assertThat(stats.get("workerRestarts").asLong()).isZero();
        for (String name : List.of("roundTrip", "queueWait", "execution")) {
            JsonNode latency = stats.get(name);
            assertThat(latency.get("count").asLong()).as(name).isEqualTo(tasks);
            assertThat(latency.get("p50Micros").asLong()).as(name)
                    .isLessThanOrEqualTo(latency.get("p99Micros").asLong());
            assertThat(latency.get("p99Micros").asLong()).as(name)
                    .isLessThanOrEqualTo(latency.get("maxMicros").asLong());
        }
        // Every task takes time to run, and a reply cannot come back before its task ran.
        assertThat(stats.get("execution").get("p50Micros").asLong()).isPositive();
        assertThat(stats.get("roundTrip").get("maxMicros").asLong())
                .isGreaterThanOrEqualTo(stats.get("execution").get("maxMicros").asLong());
        assertThat(stats.get("roundTrip").get("maxMicros").asLong())
                .isLessThanOrEqualTo(json.get("wallMillis").asLong() * 1_000);
    }

    private static List<Long> pids(JsonNode json) {
        List<Long> pids = new ArrayList<>();
        json.get("workerPids").forEach(pid -> pids.add(pid.asLong()));
        return pids;
    }

    private static long sum(Iterable<JsonNode> numbers) {
        long sum = 0;
        for (JsonNode number : numbers) {
            sum += number.asLong();
        }
        return sum;
    }
}
