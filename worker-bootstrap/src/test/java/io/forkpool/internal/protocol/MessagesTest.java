package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class MessagesTest {

    private final JsonMapper mapper = Messages.newDataMapper(1 << 20);

    @Test
    void helloRoundTripsAsPlainJson() throws Exception {
        byte[] json = Messages.encode(new Messages.Hello(1, 42, "abc", "java 17"));
        assertThat(new String(json, StandardCharsets.UTF_8))
                .isEqualTo("{\"protocolVersion\":1,\"pid\":42,\"token\":\"abc\",\"runtime\":\"java 17\"}");
        assertThat(Messages.decode(json, Messages.Hello.class)).isEqualTo(new Messages.Hello(1, 42, "abc", "java 17"));
    }

    @Test
    void ignoresFieldsAddedByLaterVersions() throws Exception {
        byte[] json = "{\"protocolVersion\":1,\"pid\":7,\"token\":\"t\",\"runtime\":\"x\",\"future\":[1,2]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Messages.decode(json, Messages.Hello.class).pid()).isEqualTo(7);
    }

    @Test
    void rejectsGarbageWithTheBytesInTheMessage() {
        assertThatThrownBy(() -> Messages.decode(new byte[] {'{', 0x01}, Messages.Hello.class))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("invalid Hello payload 7b 01 (2 bytes)");
    }

    @Test
    void rejectsJsonNull() {
        assertThatThrownBy(() -> Messages.decode("null".getBytes(StandardCharsets.UTF_8), Messages.Hello.class))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("JSON null");
    }

    @Test
    void rejectsDeepNestingQuickly() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Messages.decode(deep.getBytes(StandardCharsets.UTF_8), Object.class))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void aTypeIdPropertyInAControlMessageIsJustAnUnknownField() throws Exception {
        byte[] json = ("{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\",\"protocolVersion\":1,\"pid\":7,"
                + "\"token\":[\"com.sun.rowset.JdbcRowSetImpl\"],\"runtime\":\"x\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Messages.decode(json, Messages.Hello.class))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("invalid Hello payload"); // a token must be a string, not a typed array
        byte[] ignored = "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\",\"protocolVersion\":1,\"pid\":7}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Messages.decode(ignored, Messages.Hello.class))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("token");
    }

    @Test
    void rejectsAnOversizedStringInAControlMessage() {
        String token = "a".repeat(Messages.MAX_CONTROL_STRING_LENGTH + 1);
        byte[] json = ("{\"protocolVersion\":1,\"pid\":7,\"token\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Messages.decode(json, Messages.Hello.class))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("String value length")
                .hasMessageContaining("exceeds the maximum allowed (" + Messages.MAX_CONTROL_STRING_LENGTH);
    }

    @Test
    void rejectsAnOversizedControlMessageBeforeParsingIt() {
        byte[] json = new byte[Messages.MAX_CONTROL_MESSAGE_LENGTH + 1];
        java.util.Arrays.fill(json, (byte) ' ');
        assertThatThrownBy(() -> Messages.decode(json, Messages.TaskFailure.class))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("TaskFailure payload of 1048577 bytes exceeds the control-message limit of 1048576");
    }

    @Test
    void aFailureReportNeedsItsExceptionClassAndAStatusDefaultsMissingFieldsToZero() throws Exception {
        assertThatThrownBy(() -> Messages.decode("{\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8),
                Messages.TaskFailure.class)).isInstanceOf(ProtocolException.class).hasMessageContaining("exceptionClass");
        assertThat(Messages.decode("{\"exceptionClass\":\"E\"}".getBytes(StandardCharsets.UTF_8), Messages.TaskFailure.class))
                .isEqualTo(new Messages.TaskFailure("E", null, ""));
        assertThat(Messages.decode("{}".getBytes(StandardCharsets.UTF_8), Messages.Status.class))
                .isEqualTo(new Messages.Status(0, 0));
        assertThatThrownBy(() -> Messages.decode("{\"heapUsed\":\"1\"}".getBytes(StandardCharsets.UTF_8),
                Messages.Status.class)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void aFailuresStageIsWrittenOnlyWhenSetAndAnUnknownStageIsNoStage() throws Exception {
        assertThat(new String(Messages.encode(new Messages.TaskFailure("E", "m", "", 2, Messages.STAGE_INPUT)),
                StandardCharsets.UTF_8))
                .isEqualTo("{\"exceptionClass\":\"E\",\"message\":\"m\",\"stackTrace\":\"\",\"index\":2,\"stage\":\"input\"}");
        assertThat(new String(Messages.encode(new Messages.TaskFailure("E", "m", "")), StandardCharsets.UTF_8))
                .isEqualTo("{\"exceptionClass\":\"E\",\"message\":\"m\",\"stackTrace\":\"\"}");
        Messages.TaskFailure output = Messages.decode(
                "{\"exceptionClass\":\"E\",\"stage\":\"output\"}".getBytes(StandardCharsets.UTF_8), Messages.TaskFailure.class);
        assertThat(output.outputStage()).isTrue();
        assertThat(output.inputStage()).isFalse();
        Messages.TaskFailure later = Messages.decode(
                "{\"exceptionClass\":\"E\",\"stage\":\"linking\"}".getBytes(StandardCharsets.UTF_8), Messages.TaskFailure.class);
        assertThat(later.inputStage()).isFalse();
        assertThat(later.outputStage()).isFalse();
    }

    @Test
    void rejectsTrailingDocuments() {
        assertThatThrownBy(() -> Messages.decode("{\"heapUsed\":1,\"heapMax\":2} {}".getBytes(StandardCharsets.UTF_8),
                Messages.Status.class)).isInstanceOf(ProtocolException.class).hasMessageContaining("Trailing token");
        assertThatThrownBy(() -> mapper.readValue("1 2", Integer.class)).hasMessageContaining("Trailing token");
    }

    @Test
    void dataMapperRefusesToWriteAHundredThousandDeepValueInsteadOfOverflowingTheStack() {
        java.util.List<Object> deep = new java.util.ArrayList<>();
        java.util.List<Object> inner = deep;
        for (int i = 0; i < 100_000; i++) {
            java.util.List<Object> next = new java.util.ArrayList<>();
            inner.add(next);
            inner = next;
        }
        assertThatThrownBy(() -> mapper.writeValueAsBytes(deep))
                .isInstanceOf(tools.jackson.core.exc.StreamConstraintsException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void taskPayloadRoundTrips() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(java.nio.channels.Channels.newChannel(bytes), 1024);
        writer.appendTask(5, TaskRequest.encodeName("a.b.C$D"), 2, "42".getBytes(StandardCharsets.UTF_8));
        writer.flush();
        byte[] payload = java.util.Arrays.copyOfRange(bytes.toByteArray(), FrameDecoder.HEADER_LENGTH, bytes.size());
        assertThat(payload).containsExactly(0, 7, 'a', '.', 'b', '.', 'C', '$', 'D', 2, '4', '2');
        assertThat(TaskRequest.parse(payload)).isEqualTo(new TaskRequest("a.b.C$D", 2, 10));
    }

    @Test
    void rejectsMalformedTaskPayloads() {
        assertThatThrownBy(() -> TaskRequest.parse(new byte[] {0, 9, 'a'}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("TASK name length 9 does not fit a payload of 3 bytes");
        assertThatThrownBy(() -> TaskRequest.parse(new byte[] {0})).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> TaskRequest.parse(new byte[] {0, 0, '1'})).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> TaskRequest.parse(new byte[] {0, 1, 'a'}))
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> TaskRequest.parse(new byte[] {0, 1, 'a', 0, '1'}))
                .hasMessageContaining("attempt must be in [1, 100], got 0");
        assertThatThrownBy(() -> TaskRequest.parse(new byte[] {0, 1, 'a', 101, '1'}))
                .hasMessageContaining("attempt must be in [1, 100], got 101");
    }

    @Test
    void describesExitCodes() {
        assertThat(WorkerExitCodes.describe(137)).isEqualTo("killed by signal 9 (SIGKILL) (exit code 137)");
        assertThat(WorkerExitCodes.describe(143)).isEqualTo("killed by signal 15 (SIGTERM) (exit code 143)");
        assertThat(WorkerExitCodes.describe(3)).isEqualTo("exited with code 3");
        assertThat(WorkerExitCodes.describe(3, false, true, true)).isEqualTo("exited with code 3");
        assertThat(WorkerExitCodes.describe(3, true, true, true))
                .isEqualTo("exited with code 3 (out of memory: -XX:+ExitOnOutOfMemoryError)");
        assertThat(WorkerExitCodes.describe(3, true, false, true)).isEqualTo("exited with code 3 (out of memory)");
        assertThat(WorkerExitCodes.describe(42, false, false, true)).isEqualTo("exited with code 42");
        assertThat(WorkerExitCodes.describe(67)).contains("lifeline");
        assertThat(WorkerExitCodes.describe(42)).isEqualTo("exited with code 42");
    }

    @Test
    void describesExitCode65ByWhetherTheWorkerHadSaidHello() {
        assertThat(WorkerExitCodes.describe(65, false, true, false))
                .isEqualTo("exited with code 65 (could not connect to the supervisor, or its socket failed before its hello)");
        assertThat(WorkerExitCodes.describe(65, false, false, true)).isEqualTo("exited with code 65 (its socket to the "
                + "supervisor failed, or the worker's own code failed; its output says which)");
        assertThat(WorkerExitCodes.describe(65)).isEqualTo("exited with code 65 (could not connect to the supervisor, "
                + "its socket failed, or the worker's own code failed)");
    }
}
