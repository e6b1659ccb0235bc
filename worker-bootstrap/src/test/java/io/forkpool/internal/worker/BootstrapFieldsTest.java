package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.internal.protocol.Messages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap fields' validation as PROTOCOL.md 2.2 states it: what a worker must refuse with
 * exit 64, and what it must accept (an opaque token, {@code null} where a field may be absent).
 */
class BootstrapFieldsTest {

    private static final String REQUIRED = "\"protocolVersion\":1,\"socketPath\":\"/tmp/s\",\"token\":\"t\","
            + "\"maxFrameLength\":4096";

    private static Messages.Bootstrap read(String line) throws IOException {
        return Lifeline.readBootstrap(new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRelativeSocketPathIsRefused() {
        for (String path : List.of("s.sock", "./s.sock", "tmp/s.sock")) {
            assertThatThrownBy(() -> read("{\"protocolVersion\":1,\"socketPath\":\"" + path + "\",\"token\":\"t\","
                    + "\"maxFrameLength\":4096}")).as(path).isInstanceOf(IOException.class)
                    .hasMessage("bootstrap socketPath \"" + path + "\" is not an absolute path");
        }
    }

    @Test
    void theTokenIsOpaqueAndOnlyMustNotBeEmpty() throws IOException {
        assertThat(read("{" + REQUIRED.replace("\"t\"", "\"Not Hex, any text\"") + "}").token())
                .isEqualTo("Not Hex, any text");
    }

    @Test
    void aNullAllowListEntryIsMalformed() {
        assertThatThrownBy(() -> read("{" + REQUIRED + ",\"allowedTasks\":[\"a.*\",null]}"))
                .isInstanceOf(IOException.class)
                .hasMessage("bootstrap allowedTasks: an entry is null");
        assertThatThrownBy(() -> read("{" + REQUIRED + ",\"allowedTasks\":[]}"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("bootstrap allowedTasks: the task allow-list must have at least one entry");
    }

    @Test
    void nullForAnOptionalIntegerIsTheWrongType() {
        for (String field : List.of("workerId", "supervisorPid", "supervisorStartMillis")) {
            assertThatThrownBy(() -> read("{" + REQUIRED + ",\"" + field + "\":null}")).as(field)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void nullForAllowedTasksMeansAnyTask() throws IOException {
        Messages.Bootstrap bootstrap = read("{" + REQUIRED + ",\"allowedTasks\":null}");
        assertThat(Lifeline.allowedTasks(bootstrap).entries()).containsExactly("*");
    }
}
