package io.forkpool.runtime.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A task known by name only hands its documents through untouched. */
class TaskTypeTest {

    private final TaskType documents = TaskType.documents("x.Task", Messages.newDataMapper(1 << 20));

    @Test
    void aBatchResultIsCutIntoTheDocumentsTheWorkerWrote() throws Exception {
        String result = "[1,\"a,]b \\\"q\\\"\" , {\"x\":[1,{\"y\":\"]\"}]},null,-2.5e3,[],true ]";

        Object[] outputs = documents.decodeOutputs(bytes(result), 7);

        assertThat(Arrays.stream(outputs).map(o -> new String((byte[]) o, StandardCharsets.UTF_8)))
                .containsExactly("1", "\"a,]b \\\"q\\\"\"", "{\"x\":[1,{\"y\":\"]\"}]}", "null", "-2.5e3", "[]", "true");
    }

    @Test
    void aWrongCountIsStillAProtocolError() {
        assertThatThrownBy(() -> documents.decodeOutputs(bytes("[1,2]"), 3)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("holds 2 outputs");
    }

    @Test
    void inputsAndSingleOutputsPassAsTheyAre() {
        byte[] document = bytes("{\"from\":0,\"to\":10}");

        assertThat(documents.encodeInput(document)).isSameAs(document);
        assertThat(documents.decodeOutput(document)).isSameAs(document);
        assertThat(documents.outputTypeName()).isEqualTo("a JSON document");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
