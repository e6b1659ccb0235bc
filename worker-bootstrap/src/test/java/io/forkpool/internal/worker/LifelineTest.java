package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.internal.protocol.Messages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LifelineTest {

    private static InputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheBootstrapLineAndNothingAfterIt() throws Exception {
        InputStream in = stdin("{\"protocolVersion\":1,\"socketPath\":\"/tmp/s\",\"token\":\"t\",\"workerId\":3,"
                + "\"maxFrameLength\":4096,\"supervisorPid\":9,\"supervisorStartMillis\":10,\"allowedTasks\":[\"a.*\"],"
                + "\"fieldOfALaterVersion\":{\"x\":[1]}}\nREST");
        assertThat(Lifeline.readBootstrap(in)).isEqualTo(new Messages.Bootstrap(1, "/tmp/s", "t", 3, 4096, 9, 10,
                java.util.List.of("a.*")));
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("REST");
    }

    @Test
    void rejectsAnotherProtocolVersion() {
        assertThatThrownBy(() -> Lifeline.readBootstrap(stdin("{\"protocolVersion\":2,\"socketPath\":\"s\","
                + "\"token\":\"t\",\"workerId\":0,\"maxFrameLength\":1}\n")))
                .isInstanceOf(IOException.class)
                .hasMessage("supervisor speaks protocol version 2, this worker speaks 1");
    }

    @Test
    void rejectsFieldsOfTheWrongTypeOrOutOfRange() {
        String valid = "\"socketPath\":\"/s\",\"token\":\"t\",\"maxFrameLength\":4096";
        for (String bad : java.util.List.of(
                "{\"protocolVersion\":\"1\"," + valid + "}",
                "{\"protocolVersion\":1.0," + valid + "}",
                "{\"protocolVersion\":true," + valid + "}",
                "{\"protocolVersion\":1,\"socketPath\":\"\",\"token\":\"t\",\"maxFrameLength\":4096}",
                "{\"protocolVersion\":1,\"socketPath\":\"/s\",\"token\":\"t\",\"maxFrameLength\":1023}",
                "{\"protocolVersion\":1,\"socketPath\":\"/s\",\"token\":\"t\",\"maxFrameLength\":1073741825}",
                "{\"protocolVersion\":1," + valid + ",\"workerId\":-1}",
                "{\"protocolVersion\":1," + valid + ",\"allowedTasks\":[\"com..X\"]}",
                "[1]")) {
            assertThatThrownBy(() -> Lifeline.readBootstrap(stdin(bad + "\n"))).as(bad).isInstanceOf(IOException.class);
        }
    }

    @Test
    void rejectsMissingFieldsEndOfInputAndEndlessLines() {
        assertThatThrownBy(() -> Lifeline.readBootstrap(stdin("{\"protocolVersion\":1}\n")))
                .hasMessageContaining("lacks socketPath");
        assertThatThrownBy(() -> Lifeline.readBootstrap(stdin("{\"protocolVersion\":1")))
                .hasMessageContaining("ended before the bootstrap line");
        assertThatThrownBy(() -> Lifeline.readBootstrap(stdin("x".repeat(Lifeline.MAX_BOOTSTRAP_LINE + 1))))
                .hasMessageContaining("longer than");
    }

    @Test
    void theBackupWatchIsOffWithoutASupervisorPidOrAVisibleParent() {
        assertThat(Lifeline.watchApplies(4242, true)).isTrue();
        assertThat(Lifeline.watchApplies(0, true)).as("supervisorPid 0: the watch is off").isFalse();
        assertThat(Lifeline.watchApplies(4242, false)).as("parent pid 0: another pid namespace").isFalse();
        assertThat(ProcessHandle.current().parent()).as("a test JVM has a visible parent").isPresent();
    }
}
