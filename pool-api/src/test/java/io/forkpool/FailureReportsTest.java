package io.forkpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** The exceptions made from report records: the same messages and accessors as before, and the report back. */
class FailureReportsTest {

    private static final CrashReport CRASH = new CrashReport(5, "x.Task", 2, 1, 101, ExitCause.EXIT_CODE, 13,
            "exited with code 13", 900, 3, "halting on purpose");
    private static final TaskFailureReport FAILURE = new TaskFailureReport(17, "x.Task", 3, 1, 4242,
            "java.lang.IllegalStateException", "bad", "java.lang.IllegalStateException: bad\n\tat x.Task.execute");

    @Test
    void aCrashReadsAsBefore() {
        WorkerCrashedException e = new WorkerCrashedException(CRASH);

        assertThat(e).hasMessage("worker 1 (pid 101) died running task 5 (x.Task), attempt 2: exited with code 13;"
                + " up 900 ms, served 3 task(s); last output:\nhalting on purpose");
        assertThat(e.taskId()).isEqualTo(5);
        assertThat(e.taskClass()).isEqualTo("x.Task");
        assertThat(e.attempt()).isEqualTo(2);
        assertThat(e.workerId()).isEqualTo(1);
        assertThat(e.workerPid()).isEqualTo(101);
        assertThat(e.exitCause()).isEqualTo(ExitCause.EXIT_CODE);
        assertThat(e.exitCode()).hasValue(13);
        assertThat(e.exitDescription()).isEqualTo("exited with code 13");
        assertThat(e.uptimeMillis()).isEqualTo(900);
        assertThat(e.tasksServed()).isEqualTo(3);
        assertThat(e.outputTail()).isEqualTo("halting on purpose");
        assertThat(e.report()).isEqualTo(CRASH);

        WorkerCrashedException silent = new WorkerCrashedException(new CrashReport(5, "x.Task", 1, 0, 100,
                ExitCause.SIGNAL, null, "killed by signal 9 (SIGKILL)", 40, 0, null));
        assertThat(silent).hasMessage("worker 0 (pid 100) died running task 5 (x.Task), attempt 1:"
                + " killed by signal 9 (SIGKILL); up 40 ms, served 0 task(s); it wrote no output");
        assertThat(silent.exitCode()).isEmpty();
        assertThat(silent.outputTail()).isEmpty();
    }

    @Test
    void aTaskFailureReadsAsBefore() {
        TaskFailedException e = new TaskFailedException(FAILURE);

        assertThat(e).hasMessage("task 17 (x.Task) failed on input 3 of its batch, on worker 1 (pid 4242):"
                + " java.lang.IllegalStateException: bad");
        assertThat(e.taskId()).isEqualTo(17);
        assertThat(e.taskClass()).isEqualTo("x.Task");
        assertThat(e.inputIndex()).isEqualTo(3);
        assertThat(e.workerId()).isEqualTo(1);
        assertThat(e.workerPid()).isEqualTo(4242);
        assertThat(e.remoteExceptionClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(e.remoteMessage()).isEqualTo("bad");
        assertThat(e.remoteStackTrace()).contains("at x.Task.execute");
        assertThat(e.report()).isEqualTo(FAILURE);

        TaskFailedException alone = new TaskFailedException(new TaskFailureReport(17, "x.Task", -1, 1, 4242,
                "java.lang.ArithmeticException", null, null));
        assertThat(alone).hasMessage("task 17 (x.Task) failed on worker 1 (pid 4242): java.lang.ArithmeticException");
        assertThat(alone.remoteMessage()).isNull();
        assertThat(alone.remoteStackTrace()).isEmpty();
    }

    @Test
    void reportsRejectMissingFieldsByName() {
        assertThatThrownBy(() -> new CrashReport(1, null, 1, 0, 1, ExitCause.SIGNAL, null, "d", 0, 0, ""))
                .isInstanceOf(NullPointerException.class).hasMessage("taskClass");
        assertThatThrownBy(() -> new CrashReport(1, "T", 1, 0, 1, null, null, "d", 0, 0, ""))
                .hasMessage("exitCause");
        assertThatThrownBy(() -> new CrashReport(1, "T", 1, 0, 1, ExitCause.SIGNAL, null, null, 0, 0, ""))
                .hasMessage("exitDescription");
        assertThatThrownBy(() -> new TaskFailureReport(1, null, -1, 0, 1, "E", null, ""))
                .isInstanceOf(NullPointerException.class).hasMessage("taskClass");
        assertThatThrownBy(() -> new TaskFailureReport(1, "T", -1, 0, 1, null, null, ""))
                .hasMessage("remoteExceptionClass");
        assertThatThrownBy(() -> new WorkerCrashedException(null)).hasMessage("report");
        assertThatThrownBy(() -> new TaskFailedException(null)).hasMessage("report");
    }

    @Test
    void theExceptionsStillSerialize() throws Exception {
        WorkerCrashedException crash = roundTrip(new WorkerCrashedException(CRASH));
        assertThat(crash.report()).isEqualTo(CRASH);
        assertThat(crash).hasMessage(new WorkerCrashedException(CRASH).getMessage());
        assertThat(roundTrip(new TaskFailedException(FAILURE)).report()).isEqualTo(FAILURE);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T object) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
