package io.forkpool.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.internal.nio.BufferObjectDataOutput;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.forkpool.CrashReport;
import io.forkpool.ExitCause;
import io.forkpool.ForkPoolException;
import io.forkpool.PoisonTaskException;
import io.forkpool.TaskDataException;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskFailureReport;
import io.forkpool.TaskTimeoutException;
import io.forkpool.WorkerCrashedException;
import io.forkpool.cluster.RemoteOrigin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The messages through Hazelcast's own serialization, as they travel; failures keep their type and fields. */
class MessagesTest {

    private final InternalSerializationService serialization = serializationService();

    private static InternalSerializationService serializationService() {
        SerializationConfig config = new SerializationConfig();
        Messages.configure(config);
        return new DefaultSerializationServiceBuilder().setConfig(config).build();
    }

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T message) {
        Data data = serialization.toData(message);
        return (T) serialization.toObject(data);
    }

    @Test
    void aChunkArrivesWhole() {
        RunChunk sent = new RunChunk("client-1", 42, "x.Task", 2, 500, List.of(bytes("1"), bytes("[2,3]")));

        RunChunk received = roundTrip(sent);

        assertThat(received.key()).isEqualTo("client-1/42");
        assertThat(received.taskClass).isEqualTo("x.Task");
        assertThat(received.maxAttempts).isEqualTo(2);
        assertThat(received.timeoutMillis).isEqualTo(500);
        assertThat(received.inputs).containsExactly(bytes("1"), bytes("[2,3]"));
    }

    @Test
    void aFailedTaskComesBackAsTaskFailedExceptionNamingItsBatchIndexAndMember() {
        TaskFailedException local = new TaskFailedException(new TaskFailureReport(17, "x.Task", 3, 1, 4242,
                "java.lang.IllegalStateException", "bad", "java.lang.IllegalStateException: bad\n\tat x.Task.execute"));

        ChunkReply reply = roundTrip(ChunkReply.failed(FailureReport.of(local), 5, 2));
        ForkPoolException error = reply.failure.toException(9, "x.Task", 100, "10.0.0.2:5701");

        assertThat(error).isInstanceOfSatisfying(TaskFailedException.class, e -> {
            assertThat(e.taskId()).isEqualTo(9);
            assertThat(e.inputIndex()).isEqualTo(103);
            assertThat(e.workerId()).isEqualTo(1);
            assertThat(e.workerPid()).isEqualTo(4242);
            assertThat(e.remoteExceptionClass()).isEqualTo("java.lang.IllegalStateException");
            assertThat(e.remoteMessage()).isEqualTo("bad");
            assertThat(e.remoteStackTrace()).contains("at x.Task.execute");
        });
        assertThat(error.getCause()).isInstanceOf(RemoteOrigin.class)
                .hasMessage("on cluster member 10.0.0.2:5701: its local task 17");
        assertThat(reply.workersAlive).isEqualTo(2);
    }

    @Test
    void anInputThatDidNotDecodeComesBackAsTaskDataExceptionWithTheClientsTypes() {
        TaskDataException local = new TaskDataException(TaskDataException.Direction.INPUT, null,
                new TaskFailureReport(17, "x.Task", 3, 1, 4242, "tools.jackson.databind.exc.MismatchedInputException",
                        "Cannot construct instance", "stack"));

        ChunkReply reply = roundTrip(ChunkReply.failed(FailureReport.of(local), 5, 2));
        assertThat(reply.failure.kind).isEqualTo(FailureReport.Kind.DATA_INPUT);
        ForkPoolException error = reply.failure.toException(9, "x.Task", 100, "10.0.0.2:5701", "x.Range",
                "java.lang.Long");

        assertThat(error).isInstanceOfSatisfying(TaskDataException.class, e -> {
            assertThat(e.direction()).isEqualTo(TaskDataException.Direction.INPUT);
            assertThat(e.taskId()).isEqualTo(9);
            assertThat(e.inputIndex()).isEqualTo(103);
            assertThat(e.declaredType()).isEqualTo("x.Range");
            assertThat(e.workerId()).isEqualTo(1);
            assertThat(e.workerPid()).isEqualTo(4242);
            assertThat(e.remoteExceptionClass()).isEqualTo("tools.jackson.databind.exc.MismatchedInputException");
            assertThat(e.remoteStackTrace()).isEqualTo("stack");
        }).hasMessage("input 103 of task 9 (x.Task) could not be decoded as x.Range in worker 1 (pid 4242), so the "
                + "task never ran: tools.jackson.databind.exc.MismatchedInputException: Cannot construct instance");
        assertThat(error.getCause()).isInstanceOf(RemoteOrigin.class)
                .hasMessage("on cluster member 10.0.0.2:5701: its local task 17");
    }

    @Test
    void anOutputThatCouldNotBeEncodedComesBackAsTaskDataException() {
        TaskDataException local = new TaskDataException(TaskDataException.Direction.OUTPUT, null,
                new TaskFailureReport(4, "x.Task", -1, 0, 77, "tools.jackson.databind.DatabindException", "cracked",
                        ""));

        ChunkReply reply = roundTrip(ChunkReply.failed(FailureReport.of(local), 0, 1));
        assertThat(reply.failure.kind).isEqualTo(FailureReport.Kind.DATA_OUTPUT);

        assertThat(reply.failure.toException(8, "x.Task", -1, "m:1", "x.Range", "java.lang.Long"))
                .isInstanceOfSatisfying(TaskDataException.class, e -> {
                    assertThat(e.direction()).isEqualTo(TaskDataException.Direction.OUTPUT);
                    assertThat(e.inputIndex()).isEqualTo(-1);
                    assertThat(e.declaredType()).isEqualTo("java.lang.Long");
                }).hasMessage("the output of task 8 (x.Task) could not be encoded as java.lang.Long in worker 0 "
                        + "(pid 77): tools.jackson.databind.DatabindException: cracked");
        // The kind's ordinal travels: new kinds only ever go at the end.
        assertThat(FailureReport.Kind.UNAVAILABLE.ordinal()).isEqualTo(6);
        assertThat(FailureReport.Kind.DATA_INPUT.ordinal()).isEqualTo(7);
        assertThat(FailureReport.Kind.DATA_OUTPUT.ordinal()).isEqualTo(8);
    }

    @Test
    void aPoisonTaskComesBackWithEveryAttempt() {
        WorkerCrashedException first = new WorkerCrashedException(new CrashReport(5, "x.Task", 1, 0, 100,
                ExitCause.EXIT_CODE, 13, "exited with code 13", 900, 3, "halting on purpose"));
        WorkerCrashedException second = new WorkerCrashedException(new CrashReport(5, "x.Task", 2, 1, 101,
                ExitCause.SIGNAL, null, "killed by signal 9 (SIGKILL)", 40, 0, ""));

        ChunkReply reply = roundTrip(ChunkReply.failed(FailureReport.of(new PoisonTaskException(5, "x.Task",
                List.of(first, second))), 0, 1));
        ForkPoolException error = reply.failure.toException(8, "x.Task", -1, "m:1");

        assertThat(error).isInstanceOfSatisfying(PoisonTaskException.class, e -> {
            assertThat(e.taskId()).isEqualTo(8);
            assertThat(e.attempts()).hasSize(2);
            WorkerCrashedException a = e.attempts().get(0);
            assertThat(a.exitCode()).hasValue(13);
            assertThat(a.exitCause()).isEqualTo(ExitCause.EXIT_CODE);
            assertThat(a.outputTail()).isEqualTo("halting on purpose");
            assertThat(a.workerPid()).isEqualTo(100);
            assertThat(a.getCause()).isInstanceOf(RemoteOrigin.class);
            assertThat(e.attempts().get(1).exitCode()).isEmpty();
            assertThat(e.attempts().get(1).exitDescription()).isEqualTo("killed by signal 9 (SIGKILL)");
        });
    }

    @Test
    void aTimeoutComesBackAsTaskTimeoutException() {
        ChunkReply reply = roundTrip(ChunkReply.failed(FailureReport.of(new TaskTimeoutException(3, "x.Task",
                Duration.ofMillis(300), 0, 77)), 0, 1));

        assertThat(reply.failure.toException(4, "x.Task", 0, "m:1")).isInstanceOfSatisfying(TaskTimeoutException.class,
                e -> {
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
                    assertThat(e.workerPid()).isEqualTo(77);
                });
    }

    @Test
    void outputsArriveInOrder() {
        ChunkReply reply = roundTrip(ChunkReply.succeeded(List.of(bytes("1"), bytes("\"two\"")), 123, 4));

        assertThat(reply.failure).isNull();
        assertThat(reply.outputs).containsExactly(bytes("1"), bytes("\"two\""));
        assertThat(reply.executionNanos).isEqualTo(123);
    }

    @Test
    void aCountBeyondTheLimitIsRefusedBeforeAnythingIsAllocated() throws IOException {
        BufferObjectDataOutput out = serialization.createObjectDataOutput();
        out.writeInt(Integer.MAX_VALUE);

        assertThatThrownBy(() -> Messages.readDocuments(serialization.createObjectDataInput(out.toByteArray())))
                .isInstanceOf(IOException.class).hasMessageContaining("at most 65536");
    }

    @Test
    void javaSerializationIsClosedToForeignClasses() {
        Data data = serialization.toData(new Foreign());

        assertThatThrownBy(() -> serialization.toObject(data)).hasStackTraceContaining("not allowed");
    }

    /** A serializable class outside Hazelcast's and the JDK's packages. */
    static final class Foreign implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
