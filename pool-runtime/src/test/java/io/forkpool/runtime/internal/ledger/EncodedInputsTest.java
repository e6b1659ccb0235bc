package io.forkpool.runtime.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A batch's inputs as one array: each input a slice, each run of them a range with its commas. */
class EncodedInputsTest {

    private static final byte[][] DOCUMENTS = {bytes("1"), bytes(" \"a,b\" "), bytes("{\"x\":[1,2]}"), bytes("null"),
        bytes("[]")};

    @Test
    void joinsDocumentsIntoOneArrayOfThem() {
        EncodedInputs inputs = EncodedInputs.of(DOCUMENTS);

        assertThat(inputs.count()).isEqualTo(5);
        assertThat(text(inputs.array(0), 0, inputs.array(0).length)).isEqualTo("[1, \"a,b\" ,{\"x\":[1,2]},null,[]]");
        for (int i = 0; i < DOCUMENTS.length; i++) {
            assertThat(inputs.slice(i)).isEqualTo(DOCUMENTS[i]);
            assertThat(inputs.length(i)).isEqualTo(DOCUMENTS[i].length);
            assertThat(inputs.array(i)).isSameAs(inputs.array(0));
        }
        assertThat(inputs.offset(0)).isEqualTo(1);
        assertThat(inputs.offset(2)).isEqualTo(11);
        assertThat(inputs.runEnd(3)).isEqualTo(5);
        assertThat(range(inputs, 1, 4)).isEqualTo(" \"a,b\" ,{\"x\":[1,2]},null");
        assertThat(range(inputs, 0, 5)).isEqualTo("1, \"a,b\" ,{\"x\":[1,2]},null,[]");
        assertThat(range(inputs, 4, 5)).isEqualTo("[]");
        assertThat(inputs.totalLength()).isEqualTo(range(inputs, 0, 5).length());
    }

    @Test
    void holdsABatchLargerThanOneArrayInSeveralAndNoRangeCrossesThem() {
        // At most 12 bytes of inputs per array: [1, "a,b" ] takes 1 + 1 + 7 = 9, the object alone 11.
        EncodedInputs inputs = EncodedInputs.of(DOCUMENTS, 12);

        assertThat(inputs.count()).isEqualTo(5);
        for (int i = 0; i < DOCUMENTS.length; i++) {
            assertThat(inputs.slice(i)).isEqualTo(DOCUMENTS[i]);
        }
        assertThat(inputs.runEnd(0)).isEqualTo(2);
        assertThat(inputs.runEnd(1)).isEqualTo(2);
        assertThat(inputs.runEnd(2)).isEqualTo(3);
        assertThat(inputs.runEnd(3)).isEqualTo(5);
        assertThat(inputs.array(3)).isSameAs(inputs.array(4)).isNotSameAs(inputs.array(2));
        assertThat(text(inputs.array(3), 0, inputs.array(3).length)).isEqualTo("[null,[]]");
        assertThat(range(inputs, 0, 2)).isEqualTo("1, \"a,b\" ");
        assertThat(range(inputs, 3, 5)).isEqualTo("null,[]");
        assertThat(inputs.totalLength()).isEqualTo(9 + 11 + 7); // each array's inputs and commas
        assertThatThrownBy(() -> inputs.rangeLength(1, 3)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("inputs [1, 3) are not a range of one array");
        // An input longer than an array's share still has one of its own.
        EncodedInputs large = EncodedInputs.of(new byte[][] {bytes("1"), bytes("\"longer than four\""), bytes("2")}, 4);
        assertThat(large.runEnd(0)).isEqualTo(1);
        assertThat(large.runEnd(1)).isEqualTo(2);
        assertThat(large.slice(1)).isEqualTo(bytes("\"longer than four\""));
    }

    @Test
    void takesAnArrayAsItIsWhenItsElementsAreFound() {
        byte[] json = bytes("[1,\"x\",[2]]unused");

        EncodedInputs inputs = EncodedInputs.scanned(json, 11, 3);

        assertThat(inputs.array(1)).isSameAs(json);
        assertThat(inputs.slice(1)).isEqualTo(bytes("\"x\""));
        assertThat(range(inputs, 0, 3)).isEqualTo("1,\"x\",[2]");
        assertThat(EncodedInputs.scanned(json, 11, 2)).isNull();
    }

    @Test
    void anEmptyBatchHasNoInputs() {
        EncodedInputs inputs = EncodedInputs.of(new byte[0][]);

        assertThat(inputs.count()).isZero();
        assertThat(inputs.totalLength()).isZero();
        assertThatThrownBy(() -> inputs.length(0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("input 0 of 0");
        assertThat(EncodedInputs.scanned(bytes("[]"), 2, 0).count()).isZero();
    }

    private static String range(EncodedInputs inputs, int from, int to) {
        return text(inputs.array(from), inputs.offset(from), inputs.rangeLength(from, to));
    }

    private static String text(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
