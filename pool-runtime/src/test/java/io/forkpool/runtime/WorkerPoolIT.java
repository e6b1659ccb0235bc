package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.PoolStats;
import io.forkpool.TaskFailedException;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Primes;
import io.forkpool.examples.Range;
import io.forkpool.runtime.tasks.Echo;
import io.forkpool.runtime.tasks.Env;
import io.forkpool.runtime.tasks.Fail;
import io.forkpool.runtime.tasks.HoldAtGate;
import io.forkpool.runtime.tasks.JavaVersion;
import io.forkpool.runtime.tasks.NotPublic;
import io.forkpool.runtime.tasks.Pid;
import io.forkpool.runtime.tasks.Print;
import io.forkpool.testsupport.Gate;
import io.forkpool.testsupport.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The core pool against real worker JVMs. One shared 2-worker pool; tests that close pools make their own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerPoolIT {

    private WorkerPool pool;

    @BeforeAll
    void startPool() {
        pool = WorkerPool.builder().name("shared").workers(2).build();
    }

    @AfterAll
    void closePool() throws InterruptedException {
        List<Long> pids = pool.stats().workers().stream().map(WorkerStats::pid).toList();
        pool.close();
        Processes.assertAllGone(pids, Duration.ofSeconds(5));
    }

    @Test
    void startsDistinctWorkerProcessesThatAreChildrenOfThisJvm() {
        List<Long> pids = pool.stats().workers().stream().map(WorkerStats::pid).toList();
        assertThat(pids).hasSize(2).doesNotHaveDuplicates().allMatch(pid -> pid > 0);
        long self = ProcessHandle.current().pid();
        for (long pid : pids) {
            assertThat(Processes.parentOf(pid)).contains(self);
        }
        assertThat(pids).doesNotContain(self);
    }

    @Test
    void runsTasksInBothWorkers() throws Exception {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(pool.submit(Pid.class, 200));
        }
        Set<Long> seen = new HashSet<>();
        for (CompletableFuture<Long> future : futures) {
            seen.add(future.get());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(
                pool.stats().workers().stream().map(WorkerStats::pid).toList());
    }

    @Test
    void countsPrimesExactly() throws Exception {
        assertThat(pool.submit(CountPrimes.class, new Range(0, 100_000)).get()).isEqualTo(9_592L);
        List<Range> ranges = new ArrayList<>();
        for (long from = 0; from < 1_000_000; from += 50_000) {
            ranges.add(new Range(from, from + 50_000));
        }
        List<Long> counts = pool.invokeAll(CountPrimes.class, ranges);
        assertThat(counts).hasSize(20);
        assertThat(counts.get(0)).isEqualTo(5_133L); // primes below 50,000
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(78_498L);
    }

    @Test
    void countsPrimesExactlyWithAMethodReference() throws Exception {
        assertThat(pool.submit(Primes::count, new Range(0, 100_000)).get(60, TimeUnit.SECONDS)).isEqualTo(9_592L);
        List<Long> counts = pool.invokeAll(Primes::count, Range.chunks(1_000_000, 50_000));
        assertThat(counts).hasSize(20);
        assertThat(counts.get(0)).isEqualTo(5_133L); // primes below 50,000
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(78_498L); // pi(1,000,000)
    }

    @Test
    void returnsBatchOutputsInInputOrder() throws Exception {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            inputs.add("item-" + i);
        }
        assertThat(pool.invokeAll(Echo.class, inputs)).isEqualTo(inputs);
        assertThat(pool.invokeAll(Echo.class, List.of())).isEmpty();
    }

    @Test
    void carriesNullsAndUnicode() throws Exception {
        assertThat(pool.submit(Echo.class, null).get()).isNull();
        assertThat(pool.submit(Echo.class, "ünïcødé ✓ \u0000 \"quoted\"").get()).isEqualTo("ünïcødé ✓ \u0000 \"quoted\"");
    }

    @Test
    void reportsATaskExceptionWithRemoteDetailsAndTheWorkerLivesOn() throws Exception {
        List<Long> pidsBefore = pool.stats().workers().stream().map(WorkerStats::pid).toList();
        CompletableFuture<String> failing = pool.submit(Fail.class, "bad input");
        ExecutionException thrown = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, failing::get);
        assertThat(thrown.getCause()).isInstanceOfSatisfying(TaskFailedException.class, e -> {
            assertThat(e.remoteExceptionClass()).isEqualTo("java.lang.IllegalStateException");
            assertThat(e.remoteMessage()).isEqualTo("bad input");
            assertThat(e.remoteStackTrace()).contains("at io.forkpool.runtime.tasks.Fail.execute")
                    .contains("Caused by: java.lang.ArithmeticException: root cause");
            assertThat(e.taskClass()).isEqualTo(Fail.class.getName());
            assertThat(e.getMessage()).contains("failed on worker").contains("(pid " + e.workerPid() + ")")
                    .contains("java.lang.IllegalStateException: bad input");
            assertThat(pidsBefore).contains(e.workerPid());
            assertThat(Processes.alive(e.workerPid())).isTrue();
        });
        assertThat(pool.submit(Pid.class, 0).get()).isIn(pidsBefore);
        assertThat(pool.stats().workers().stream().map(WorkerStats::pid).toList()).isEqualTo(pidsBefore);
        assertThat(pool.stats().workers()).allMatch(w -> w.restarts() == 0);
    }

    @Test
    void invokeAllThrowsTheFailureItself() {
        assertThatThrownBy(() -> pool.invokeAll(Fail.class, List.of("a", "b")))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("java.lang.IllegalStateException");
    }

    @Test
    void taskOutputOnStdoutStderrAndFd1DoesNotBreakTheProtocol() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sizes.add(64);
        }
        assertThat(pool.invokeAll(Print.class, sizes)).containsOnly("printed").hasSize(20);
        assertThat(pool.submit(CountPrimes.class, new Range(0, 1000)).get()).isEqualTo(168L);
        assertThat(pool.stats().workers()).allMatch(w -> w.restarts() == 0);
    }

    @Test
    void failsFastOnClassesThatCanNeverRun() {
        assertThatThrownBy(() -> pool.submit(NotPublic.hidden(), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not public");
        assertThatThrownBy(() -> pool.submit(NotPublic.NeedsArgument.class, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no public no-argument constructor");
        assertThatThrownBy(() -> pool.submit(NotPublic.Abstract.class, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is abstract");
        List<Object> deep = new java.util.ArrayList<>();
        List<Object> inner = deep;
        for (int i = 0; i < 100_000; i++) {
            List<Object> next = new java.util.ArrayList<>();
            inner.add(next);
            inner = next;
        }
        assertThatThrownBy(() -> pool.submit(io.forkpool.runtime.tasks.Untyped.class, deep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot encode the input").hasMessageContaining("cycle or nesting deeper than 500");
        long submittedBefore = pool.stats().submitted();
        assertThatThrownBy(() -> pool.submitAll(Echo.class, List.of("ok", "x".repeat(65 << 20))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than maxFrameLength");
        assertThat(pool.stats().submitted()).isEqualTo(submittedBefore);
    }

    @Test
    void anAllowListRefusesOtherTasksAtSubmit() throws Exception {
        try (WorkerPool narrow = WorkerPool.builder().workers(1).allowTasks("io.forkpool.examples.*").build()) {
            assertThatThrownBy(() -> narrow.submit(Echo.class, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(Echo.class.getName() + " is not in the pool's task allow-list [io.forkpool.examples.*]");
            assertThat(narrow.submit(io.forkpool.examples.CountPrimes.class, new io.forkpool.examples.Range(0, 100))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(25L);
            assertThat(narrow.stats().submitted()).isEqualTo(1);
        }
    }

    @Test
    void countsTasksInStats() throws Exception {
        PoolStats before = pool.stats();
        pool.invokeAll(Echo.class, List.of("a", "b", "c"));
        assertThatThrownBy(() -> pool.submit(Fail.class, "x").join()).hasCauseInstanceOf(TaskFailedException.class);
        PoolStats after = pool.stats();
        assertThat(after.submitted() - before.submitted()).isEqualTo(4);
        assertThat(after.succeeded() - before.succeeded()).isEqualTo(3);
        assertThat(after.failed() - before.failed()).isEqualTo(1);
        assertThat(after.queued()).isZero();
    }

    @Test
    void closeDrainsQueuedTasksStopsEveryWorkerAndRejectsNewOnes() throws Exception {
        WorkerPool own = WorkerPool.builder().workers(2).build();
        List<Long> pids = own.stats().workers().stream().map(WorkerStats::pid).toList();
        List<CompletableFuture<Long>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(own.submit(Pid.class, 50));
        }
        own.close();
        for (CompletableFuture<Long> future : queued) {
            assertThat(future).isCompleted();
            assertThat(pids).contains(future.get());
        }
        Processes.assertAllGone(pids, Duration.ofSeconds(5));
        assertThat(Processes.childWorkers()).noneMatch(w -> pids.stream().anyMatch(pid -> w.startsWith(pid + " ")));
        own.close(); // idempotent
        assertThatThrownBy(() -> own.submit(Echo.class, "late"))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("terminated");
        assertThat(threadsNamed(own)).isEmpty();
    }

    @Test
    void closeNowCancelsQueuedTasks(@TempDir Path dir) throws Exception {
        WorkerPool own = WorkerPool.builder().workers(1).build();
        List<Long> pids = own.stats().workers().stream().map(WorkerStats::pid).toList();
        Gate gate = Gate.create(dir.resolve("gate")); // never released: closeNow ends the task
        CompletableFuture<Long> running = own.submit(HoldAtGate.class, gate.path());
        List<CompletableFuture<Long>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(own.submit(Pid.class, 2_000));
        }
        gate.awaitStarted(Duration.ofSeconds(30));
        long start = System.nanoTime();
        own.closeNow();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
        assertThat(running).isCompletedExceptionally();
        for (CompletableFuture<Long> future : queued) {
            assertThatThrownBy(future::get).isInstanceOf(CancellationException.class);
        }
        Processes.assertAllGone(pids, Duration.ofSeconds(5));
    }

    @Test
    void passesEnvironmentWorkingDirectoryAndJvmOptionsVerbatim(@TempDir Path dir) throws Exception {
        try (WorkerPool own = WorkerPool.builder().workers(1).environment("FORKPOOL_TEST_VAR", "; touch pwned")
                .workingDirectory(dir).jvmOptions("-Xmx96m", "-Dforkpool.test=\"quoted value\"", "-Dx=; touch pwned")
                .build()) {
            List<String> seen = own.submit(Env.class, "FORKPOOL_TEST_VAR").get();
            assertThat(seen.get(0)).isEqualTo("; touch pwned");
            assertThat(Path.of(seen.get(1)).toRealPath()).isEqualTo(dir.toRealPath());
            assertThat(seen.get(2)).contains("-Xmx96m").contains("-Dforkpool.test=\"quoted value\"")
                    .contains("-Dx=; touch pwned").contains("-XX:+ExitOnOutOfMemoryError");
            assertThat(seen.get(2)).doesNotContain("token").doesNotContain("socketPath"); // those go via stdin
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty(); // nothing was run through a shell: no "pwned" file
        }
    }

    @Test
    void workersSeeOnlyAllowedEnvironmentVariables() throws Exception {
        String secret = System.getenv().keySet().stream()
                .filter(name -> !io.forkpool.WorkerPoolBuilder.DEFAULT_INHERITED_ENVIRONMENT.contains(name))
                .sorted().findFirst().orElseThrow(() -> new AssertionError("test JVM has no other variable"));
        assertThat(pool.submit(Env.class, secret).get().get(0)).as(secret).isEqualTo("null");
        assertThat(pool.submit(Env.class, "PATH").get().get(0)).isEqualTo(System.getenv("PATH"));
        try (WorkerPool own = WorkerPool.builder().workers(1).inheritEnvironment(secret).build()) {
            assertThat(own.submit(Env.class, secret).get().get(0)).isEqualTo(System.getenv(secret));
        }
    }

    @Test
    void runsWorkersOnAnotherInstalledJdk() throws Exception {
        Path java25 = Jdk25.javaOrSkip();
        try (WorkerPool own = WorkerPool.builder().workers(1).javaExecutable(java25).build()) {
            assertThat(own.submit(JavaVersion.class, null).get()).isEqualTo(25);
            assertThat(own.submit(CountPrimes.class, new Range(0, 100_000)).get()).isEqualTo(9_592L);
        }
        assertThat(pool.submit(JavaVersion.class, null).get()).isEqualTo(Runtime.version().feature());
    }

    private static List<String> threadsNamed(WorkerPool pool) {
        String prefix = pool.toString().replaceAll("^ProcessPool\\[([^,]+),.*$", "$1") + "-";
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith(prefix))
                .toList();
    }
}
