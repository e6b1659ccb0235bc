package io.forkpool.runtime.internal.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.forkpool.ExitCause;
import io.forkpool.WorkerCrashedException;
import io.forkpool.WorkerPoolBuilder;
import io.forkpool.testsupport.Await;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exit code 3 alone is not out of memory for a Java worker ({@code System.exit(3)} gives it too):
 * only HotSpot's line says so. A foreign worker's exit 3 is out of memory, told without JVM flags.
 * And exit 65 is described by what the pool saw: after a hello, never as "could not connect".
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ExitCodeThreeTest {

    private static final String HOTSPOT_LINE = "Terminating due to java.lang.OutOfMemoryError: Java heap space";

    /** Runs one HaltWith3 printing {@code line} on a pool set up by {@code settings}; returns its crash. */
    private static WorkerCrashedException crash(UnaryOperator<WorkerPoolBuilder> settings, String line)
            throws Exception {
        try (FakePool fake = FakePool.start(1, b -> settings.apply(b.maxAttempts(1)))) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> fake.awaitAdvancing(fake.pool.submit(FakeTasks.HaltWith3.class, line)));
            assertThat(failed.getCause()).isInstanceOf(WorkerCrashedException.class);
            WorkerCrashedException crash = (WorkerCrashedException) failed.getCause();
            // counted right after the crash report is handed on, so it may show a moment later
            Await.until("the exit counted as " + crash.exitCause(), Duration.ofSeconds(10),
                    () -> fake.pool.stats().workerExits().get(crash.exitCause()) == 1);
            return crash;
        }
    }

    @Test
    void aJavaWorkerThatExitsWith3WithoutHotSpotsLineDiedOfItsExitCode() throws Exception {
        WorkerCrashedException e = crash(b -> b, "bye");

        assertThat(e.exitCause()).isEqualTo(ExitCause.EXIT_CODE);
        assertThat(e.exitDescription()).isEqualTo("exited with code 3");
    }

    @Test
    void aJavaWorkerThatExitsWith3AfterHotSpotsLineRanOutOfMemory() throws Exception {
        WorkerCrashedException e = crash(b -> b, HOTSPOT_LINE);

        assertThat(e.exitCause()).isEqualTo(ExitCause.OUT_OF_MEMORY);
        assertThat(e.exitDescription()).isEqualTo("exited with code 3 (out of memory: -XX:+ExitOnOutOfMemoryError)");
    }

    @Test
    void aForeignWorkerThatExitsWith3RanOutOfMemoryAndNoJvmFlagIsNamed() throws Exception {
        WorkerCrashedException e = crash(b -> b.workerCommand("fake-worker"), "");

        assertThat(e.exitCause()).isEqualTo(ExitCause.OUT_OF_MEMORY);
        assertThat(e.exitDescription()).isEqualTo("exited with code 3 (out of memory)").doesNotContain("-XX");
    }

    /** Exit 65 after a hello is never "could not connect" (PROTOCOL.md 7, 9): the worker had connected and served. */
    @Test
    void aWorkerThatExitsWith65AfterItsHelloIsNotSaidToHaveFailedToConnect() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b.maxAttempts(1))) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> fake.awaitAdvancing(fake.pool.submit(FakeTasks.HaltWithCode.class, 65)));
            WorkerCrashedException e = (WorkerCrashedException) failed.getCause();

            assertThat(e.exitCause()).isEqualTo(ExitCause.EXIT_CODE);
            assertThat(e.exitDescription()).isEqualTo("exited with code 65 (its socket to the supervisor failed, "
                    + "or the worker's own code failed; its output says which)").doesNotContain("connect");
        }
    }
}
