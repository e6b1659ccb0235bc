package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.ExitCause;
import io.forkpool.TaskDataException;
import io.forkpool.TaskOptions;
import io.forkpool.WorkerCrashedException;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerPoolBuilder;
import io.forkpool.runtime.RogueWorker.Mode;
import io.forkpool.runtime.tasks.AttemptAtGate;
import io.forkpool.runtime.tasks.CrashUntilAttempt;
import io.forkpool.runtime.tasks.Untyped;
import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.Gate;
import io.forkpool.testsupport.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Workers that break the protocol on purpose ({@link RogueWorker}, a real process started through
 * {@code workerCommand}): each is killed and replaced, its task is failed or retried by the normal
 * policy with an error that names the worker and shows the bytes, no other future is completed
 * wrongly, and the supervisor neither throws nor leaks threads or file descriptors.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RogueWorkerIT {

    private static final TaskOptions ONE_ATTEMPT = TaskOptions.builder().maxAttempts(1).build();
    private static final List<Throwable> UNCAUGHT = Collections.synchronizedList(new ArrayList<>());
    private static Thread.UncaughtExceptionHandler previousHandler;

    @TempDir
    Path markerDirectory;

    @BeforeAll
    static void recordUncaughtExceptions() {
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> UNCAUGHT.add(e));
    }

    @AfterAll
    static void restoreHandler() {
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    }

    @AfterEach
    void supervisorThrewNothing() {
        assertThat(UNCAUGHT).as("exceptions escaping the supervisor's threads").isEmpty();
    }

    private WorkerPoolBuilder rogue(Mode mode, int workers) {
        return WorkerPool.builder().name("rogue-" + mode).workers(workers).tasksInFlightPerWorker(1)
                .workerCommand(ChildJvm.mainClass(RogueWorker.class)
                        .jvmOptions("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                        .args(mode.name(), markerDirectory.toString()).command());
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of(Mode.GARBAGE, "frame length 1195463234 exceeds 67108864 at stream offset … ; "
                        + "header 47 41 52 42 41 47 45 21 20 74 68 69 73 20 (14 bytes)"),
                Arguments.of(Mode.MAX_LENGTH, "frame length 2147483647 exceeds 67108864 at stream offset … ; "
                        + "header 7f ff ff ff 11 00 00 00 00 00 00 00 00 01 (14 bytes)"),
                Arguments.of(Mode.NEGATIVE_LENGTH, "negative frame length -2147483648 at stream offset … ; "
                        + "header 80 00 00 00 11 00 00 00 00 00 00 00 00 01 (14 bytes)"),
                Arguments.of(Mode.TRUNCATED, "end of stream inside a frame, after 10 of 100 payload bytes of a RESULT frame"),
                Arguments.of(Mode.UNKNOWN_TYPE, "unexpected UNKNOWN(0x7e)[id=1, 1 bytes] from worker: 31 (1 bytes)"),
                Arguments.of(Mode.NONZERO_FLAGS, "frame flags must be 0, got 0x1"),
                Arguments.of(Mode.UNKNOWN_ID, "for a task this worker does not hold: 31 (1 bytes)"),
                Arguments.of(Mode.TASK_FROM_WORKER, "unexpected TASK[id=1, 5 bytes] from worker: 00 01 58 01 31 (5 bytes)"),
                Arguments.of(Mode.MALFORMED_FAILURE, "invalid TaskFailure payload 7b 6e 6f 74 20 6a 73 6f 6e (9 bytes)"),
                Arguments.of(Mode.OVERSIZED_FAILURE, "exceeds the control-message limit of 1048576: 7b 22 65 78"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void aViolationKillsAndReplacesTheWorkerAndFailsItsTaskWithTheBytes(Mode mode, String expected) throws Exception {
        try (WorkerPool pool = rogue(mode, 1).build()) {
            long roguePid = pool.stats().workers().get(0).pid();
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> pool.submit(CrashUntilAttempt.class, 0, ONE_ATTEMPT).get(60, TimeUnit.SECONDS));
            assertThat(e.getCause()).isInstanceOf(WorkerCrashedException.class);
            WorkerCrashedException crash = (WorkerCrashedException) e.getCause();
            assertThat(crash.exitCause()).isEqualTo(ExitCause.PROTOCOL_VIOLATION);
            assertThat(crash.workerId()).isZero();
            assertThat(crash.workerPid()).isEqualTo(roguePid);
            assertThat(crash.attempt()).isEqualTo(1);
            // "…" stands for what varies between runs (the stream offset depends on the hello's pid).
            assertThat(crash.getMessage()).contains("worker 0 (pid " + roguePid + ")").contains("protocol error: ")
                    .contains(expected.split(" … ", -1));
            assertThat(crash.outputTail()).contains("rogue " + mode + " got ");

            long replacement = WorkerFailureIT.awaitNewPid(pool, 0, roguePid);
            assertThat(pool.submit(CrashUntilAttempt.class, 0).get(60, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(pool.stats().workers().get(0).pid()).isEqualTo(replacement);
            assertThat(pool.stats().workerRestarts()).isEqualTo(1);
            assertThat(Processes.alive(roguePid)).isFalse();
        }
        assertNoThreadsLeftOf("rogue-" + mode);
    }

    @Test
    void theTaskOfAKilledRogueIsRetriedWithItsNextAttempt() throws Exception {
        try (WorkerPool pool = rogue(Mode.GARBAGE, 1).build()) {
            assertThat(pool.submit(CrashUntilAttempt.class, 0).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(pool.stats().workerRestarts()).isEqualTo(1);
        }
    }

    @Test
    void aDuplicateReplyKeepsTheFirstAnswerAndCostsTheRogueItsLife() throws Exception {
        try (WorkerPool pool = rogue(Mode.DUPLICATE_REPLY, 1).build()) {
            long roguePid = pool.stats().workers().get(0).pid();
            assertThat(pool.submit(CrashUntilAttempt.class, 0, ONE_ATTEMPT).get(60, TimeUnit.SECONDS)).isEqualTo(1);
            long replacement = WorkerFailureIT.awaitNewPid(pool, 0, roguePid);
            assertThat(pool.submit(CrashUntilAttempt.class, 0).get(60, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(pool.stats().workers().get(0).pid()).isEqualTo(replacement);
            assertThat(pool.stats().workerRestarts()).isEqualTo(1);
        }
    }

    @Test
    void aReplyForAnotherWorkersTaskCompletesNothingWrongly() throws Exception {
        try (WorkerPool pool = rogue(Mode.OTHER_WORKERS_TASK, 2).build()) {
            // Tasks 1 and 2, one per worker; the rogue answers "-999" for the other worker's task
            // once that task arrived at the gate. Both are held there until the rogue's task, retried
            // on the replacement, arrived too.
            Gate gate = Gate.create(markerDirectory.resolve("gate"));
            CompletableFuture<Integer> first = pool.submit(AttemptAtGate.class, gate.path());
            CompletableFuture<Integer> second = pool.submit(AttemptAtGate.class, gate.path());
            gate.awaitStarted(2, Duration.ofSeconds(60));
            gate.release();
            List<Integer> results = List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
            // The honest worker's task ran once; the rogue's was retried once on a fresh worker.
            assertThat(results).containsExactlyInAnyOrder(1, 2);
            assertThat(pool.stats().workerRestarts()).isEqualTo(1);
        }
    }

    @Test
    void aHundredThousandDeepResultFailsOnlyItsTaskAndTheWorkerServesOn() throws Exception {
        try (WorkerPool pool = rogue(Mode.DEEP_RESULT, 1).build()) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> pool.submit(Untyped.class, List.of(1), ONE_ATTEMPT).get(60, TimeUnit.SECONDS));
            assertThat(e.getCause()).isInstanceOfSatisfying(TaskDataException.class, data -> {
                assertThat(data.direction()).isEqualTo(TaskDataException.Direction.OUTPUT);
                assertThat(data.workerPid()).as("found by the pool, not a worker").isEqualTo(-1);
                assertThat(data.declaredType()).isEqualTo("java.lang.Object");
            }).hasMessageContaining("could not be decoded as java.lang.Object by the pool")
                    .hasMessageContaining("nesting depth");
            // Framing was valid, so the worker is not a protocol violator; it stays (and, being
            // the rogue, no longer answers, so the pool is closed without waiting for it).
            assertThat(pool.stats().workerRestarts()).isZero();
            pool.closeNow();
        }
    }

    @Test
    void repeatedRoguesLeakNoFileDescriptorsOrThreads() throws Exception {
        int baseline = -1;
        for (int round = 0; round < 4; round++) {
            Files.deleteIfExists(markerDirectory.resolve("rogue"));
            try (WorkerPool pool = rogue(Mode.GARBAGE, 1).build()) {
                assertThat(pool.submit(CrashUntilAttempt.class, 0).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            }
            assertNoThreadsLeftOf("rogue-" + Mode.GARBAGE);
            if (round == 0) {
                baseline = openFileDescriptors(); // after one round, so class loading and jar handles are settled
            } else {
                // A descriptor of a process reaped a moment ago may still be closing (the JDK's
                // process reaper): give the count a few seconds to come back. A leak never does.
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                int fds;
                while ((fds = openFileDescriptors()) > baseline && System.nanoTime() < deadline) {
                    Thread.sleep(20); // polls for the count, within the deadline
                }
                assertThat(fds).as("open file descriptors after round " + round).isLessThanOrEqualTo(baseline);
            }
        }
    }

    private static int openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }

    private static void assertNoThreadsLeftOf(String poolName) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.startsWith(poolName + "-")).toList();
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(20); // polls for the threads to end, within the deadline
        } while (System.nanoTime() < deadline);
        assertThat(left).as("threads of closed pool " + poolName).isEmpty();
    }
}
