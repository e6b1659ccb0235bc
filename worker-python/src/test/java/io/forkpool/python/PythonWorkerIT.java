package io.forkpool.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.forkpool.ExitCause;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskName;
import io.forkpool.TaskOptions;
import io.forkpool.TaskTimeoutException;
import io.forkpool.WorkerCrashedException;
import io.forkpool.WorkerPool;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pool of real Python 3 worker processes ({@code src/main/python/forkpool_worker.py}), driven
 * through the ordinary Java API: exact results, a task's Python exception, a worker that dies, a
 * task that hangs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PythonWorkerIT {

    private static final TaskOptions ONE_ATTEMPT = TaskOptions.builder().maxAttempts(1).build();
    private static WorkerPool pool;

    @BeforeAll
    static void startPool() {
        pool = PythonWorkers.pool(2).build();
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    private static Throwable failureOf(java.util.concurrent.CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void countsThePrimesBelowTwoMillionExactly() throws Exception {
        List<Long> counts = pool.invokeAll(CountPrimes.class, Range.chunks(2_000_000, 100_000));
        assertThat(counts).hasSize(20);
        // pi(2,000,000) = 148,933, also checked with an independent sieve.
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(148_933L);
    }

    @Test
    void aTaskNamedByAStringWithStatedTypesRunsThePythonBuiltIn() throws Exception {
        // No Java class is involved: the name and the types say everything the pool needs.
        TaskName<Range, Long> countPrimes = TaskName.of("io.forkpool.examples.CountPrimes", Range.class, Long.class);
        // pi(1,000,000) = 78,498
        assertThat(pool.submit(countPrimes, new Range(0, 1_000_000)).get(60, TimeUnit.SECONDS)).isEqualTo(78_498L);
        List<Long> counts = pool.invokeAll(countPrimes, Range.chunks(2_000_000, 100_000));
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(148_933L);
    }

    @Test
    void agreesWithTheJavaTaskOnEdgeRanges() throws Exception {
        long big = 1L << 40;
        List<Range> ranges = List.of(new Range(-10, 3), new Range(0, 0), new Range(0, 2), new Range(2, 3),
                new Range(-5_000_000_000L, -4_999_999_000L), new Range(999_900, 1_000_100), new Range(big, big + 20_000),
                new Range(Long.MAX_VALUE - 10, Long.MAX_VALUE));
        List<Long> python = pool.invokeAll(CountPrimes.class, ranges);
        CountPrimes java = new CountPrimes();
        List<Long> expected = ranges.stream().map(java::execute).toList();
        assertThat(python).isEqualTo(expected);
        assertThat(expected.get(0)).isEqualTo(1); // only 2
    }

    @Test
    void aRaisingTaskFailsWithThePythonExceptionAndItsWorkerServesOn() throws Exception {
        long pidBefore = pool.submit(PythonTasks.Pid.class, 0).get(60, TimeUnit.SECONDS);
        Throwable failure = failureOf(pool.submit(PythonTasks.Raise.class, "bad input"));
        assertThat(failure).isInstanceOf(TaskFailedException.class);
        TaskFailedException e = (TaskFailedException) failure;
        assertThat(e.remoteExceptionClass()).isEqualTo("ValueError");
        assertThat(e.remoteMessage()).isEqualTo("bad input");
        assertThat(e.remoteStackTrace()).contains("Traceback").contains("it_tasks.py").contains("ValueError: bad input");
        assertThat(e.taskClass()).isEqualTo(PythonTasks.Raise.class.getName());
        assertThat(List.of(pool.stats().workers().get(0).pid(), pool.stats().workers().get(1).pid()))
                .contains(e.workerPid(), pidBefore);
        assertThat(pool.stats().workerRestarts()).isZero();
    }

    @Test
    void anUnknownTaskNameIsATaskFailureNotACrash() {
        Throwable failure = failureOf(pool.submit(PythonTasks.Unknown.class, "x"));
        assertThat(failure).isInstanceOf(TaskFailedException.class)
                .hasMessageContaining(PythonTasks.Unknown.class.getName());
        assertThat(pool.stats().workerRestarts()).isZero();
    }

    @Test
    void whatATaskPrintsDoesNotDisturbTheProtocol() throws Exception {
        assertThat(pool.submit(PythonTasks.Shout.class, "hello").get(60, TimeUnit.SECONDS)).isEqualTo("HELLO");
    }

    @Test
    void aWorkerThatExitsFailsItsTaskWithTheExitCodeAndIsReplaced() throws Exception {
        try (WorkerPool single = PythonWorkers.pool(1).name("python-exit").build()) {
            long pid = single.stats().workers().get(0).pid();
            Throwable failure = failureOf(single.submit(PythonTasks.Exit.class, 7, ONE_ATTEMPT));
            assertThat(failure).isInstanceOf(WorkerCrashedException.class);
            WorkerCrashedException crash = (WorkerCrashedException) failure;
            assertThat(crash.exitCode()).hasValue(7);
            assertThat(crash.exitCause()).isEqualTo(ExitCause.EXIT_CODE);
            assertThat(crash.workerPid()).isEqualTo(pid);
            long replacement = single.submit(PythonTasks.Pid.class, 0).get(60, TimeUnit.SECONDS);
            assertThat(replacement).isNotEqualTo(pid);
            assertThat(single.stats().workerRestarts()).isEqualTo(1);
        }
    }

    @Test
    void aTaskPastItsTimeoutIsStoppedByKillingItsWorker() throws Exception {
        try (WorkerPool single = PythonWorkers.pool(1).name("python-timeout").taskTimeout(Duration.ofSeconds(1)).build()) {
            long pid = single.stats().workers().get(0).pid();
            Throwable failure = failureOf(single.submit(PythonTasks.Spin.class, 120.0));
            assertThat(failure).isInstanceOf(TaskTimeoutException.class);
            assertThat(((TaskTimeoutException) failure).workerPid()).isEqualTo(pid);
            assertThat(single.submit(CountPrimes.class, new Range(0, 100)).get(60, TimeUnit.SECONDS)).isEqualTo(25L);
            assertThat(single.stats().workers().get(0).pid()).isNotEqualTo(pid);
        }
    }
}
