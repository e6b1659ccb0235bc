package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class MessagesTest {

    private final JsonMapper mapper = Messages.newMapper(1 << 20);

    @Test
    void helloRoundTripsAsPlainJson() throws Exception {
        byte[] json = mapper.writeValueAsBytes(new Messages.Hello(1, 42, "abc", "java 17"));
        assertThat(new String(json, StandardCharsets.UTF_8))
                .isEqualTo("{\"protocolVersion\":1,\"pid\":42,\"token\":\"abc\",\"runtime\":\"java 17\"}");
        assertThat(Messages.decode(mapper, json, Messages.Hello.class)).isEqualTo(new Messages.Hello(1, 42, "abc", "java 17"));
    }

    @Test
    void ignoresFieldsAddedByLaterVersions() throws Exception {
        byte[] json = "{\"protocolVersion\":1,\"pid\":7,\"token\":\"t\",\"runtime\":\"x\",\"future\":[1,2]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Messages.decode(mapper, json, Messages.Hello.class).pid()).isEqualTo(7);
    }

    @Test
    void rejectsGarbageWithTheBytesInTheMessage() {
        assertThatThrownBy(() -> Messages.decode(mapper, new byte[] {'{', 0x01}, Messages.Hello.class))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("invalid Hello payload 7b 01 (2 bytes)");
    }

    @Test
    void rejectsJsonNull() {
        assertThatThrownBy(() -> Messages.decode(mapper, "null".getBytes(StandardCharsets.UTF_8), Messages.Hello.class))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("JSON null");
    }

    @Test
    void rejectsDeepNestingQuickly() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Messages.decode(mapper, deep.getBytes(StandardCharsets.UTF_8), Object.class))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void taskPrefixRoundTrips() throws Exception {
        byte[] prefix = TaskRequest.encodeName("a.b.C$D");
        byte[] payload = new byte[prefix.length + 2];
        System.arraycopy(prefix, 0, payload, 0, prefix.length);
        payload[prefix.length] = '4';
        payload[prefix.length + 1] = '2';
        assertThat(prefix).startsWith(0, 7);
        assertThat(TaskRequest.parse(payload)).isEqualTo(new TaskRequest("a.b.C$D", 9));
    }

    @Test
    void rejectsATaskNameLongerThanThePayload() {
        assertThatThrownBy(() -> TaskRequest.parse(new byte[] {0, 9, 'a'}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("TASK name length 9 does not fit a payload of 3 bytes");
        assertThatThrownBy(() -> TaskRequest.parse(new byte[] {0}))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> TaskRequest.parse(new byte[] {0, 0, '1'}))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void describesExitCodes() {
        assertThat(WorkerExitCodes.describe(137)).isEqualTo("killed by signal 9 (SIGKILL) (exit code 137)");
        assertThat(WorkerExitCodes.describe(143)).isEqualTo("killed by signal 15 (SIGTERM) (exit code 143)");
        assertThat(WorkerExitCodes.describe(3)).contains("out of memory");
        assertThat(WorkerExitCodes.describe(67)).contains("lifeline");
        assertThat(WorkerExitCodes.describe(42)).isEqualTo("exited with code 42");
    }
}
