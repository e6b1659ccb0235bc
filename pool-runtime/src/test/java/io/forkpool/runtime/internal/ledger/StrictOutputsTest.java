package io.forkpool.runtime.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.internal.protocol.Messages;
import io.forkpool.spi.TaskAllowList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.DatabindException;

/**
 * A RESULT decodes strictly as the task's declared output type (PROTOCOL.md 4.2 and 5), alone and
 * as an element of a chunk's array: no string to number, fraction to integer, number to boolean or
 * string, and no NaN or infinity. The pool fails such a task with a {@code TaskDataException}
 * ({@code Replies}); here, the decoding that decides it.
 */
class StrictOutputsTest {

    private static final int MAX_FRAME = 1 << 20;
    private final TaskTypes types = new TaskTypes(TaskAllowList.of(List.of(TaskAllowList.ANY)),
            CompletableFuture.completedFuture(Messages.newDataMapper(MAX_FRAME)), MAX_FRAME);

    private TaskType type(String declared) {
        return types.of(switch (declared) {
            case "Long" -> CodecTasks.Longs.class;
            case "Integer" -> CodecTasks.Ints.class;
            case "Double" -> CodecTasks.Doubles.class;
            case "Boolean" -> CodecTasks.Booleans.class;
            default -> CodecTasks.Strings.class;
        });
    }

    @ParameterizedTest(name = "{0} is not a {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            "25"       | Long    | Cannot coerce String value ("25") to `java.lang.Long` value
            1.5        | Long    | Cannot coerce Floating-point value (1.5) to `java.lang.Long` value
            1.0        | Long    | Cannot coerce Floating-point value (1.0) to `java.lang.Long` value
            true       | Integer | Cannot deserialize value of type `java.lang.Integer` from Boolean value
            1          | Boolean | Cannot coerce Integer value (1) to `java.lang.Boolean` value
            25         | String  | Cannot coerce Integer value (25) to `java.lang.String` value
            "NaN"      | Double  | not a finite number: NaN (JSON has no NaN or Infinity)
            "Infinity" | Double  | not a finite number: Infinity (JSON has no NaN or Infinity)
            1e400      | Double  | not a finite number: 1e400 (JSON has no NaN or Infinity)
            """)
    void anOutputThatIsNotWrittenAsItsDeclaredTypeDoesNotDecode(String json, String declared, String message) {
        TaskType type = type(declared);
        assertThatThrownBy(() -> type.decodeOutput(bytes(json))).isInstanceOf(DatabindException.class)
                .hasMessageStartingWith(message);
        assertThatThrownBy(() -> type.decodeOutputs(bytes("[null," + json + "]"), 2))
                .isInstanceOfSatisfying(UndecodableOutputException.class, e -> {
                    assertThat(e.index()).isEqualTo(1);
                    assertThat(e.originalMessage()).startsWith(message);
                });
    }

    @ParameterizedTest(name = "{0} is a {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            25      | Long    | 25
            -7      | Integer | -7
            25      | Double  | 25.0
            true    | Boolean | true
            "25"    | String  | 25
            """)
    void anOutputWrittenAsItsDeclaredTypeDecodes(String json, String declared, String expected) throws Exception {
        TaskType type = type(declared);
        assertThat(type.decodeOutput(bytes(json))).hasToString(expected);
        assertThat(type.decodeOutputs(bytes("[" + json + "," + json + "]"), 2))
                .extracting(String::valueOf).containsExactly(expected, expected);
    }

    @ParameterizedTest(name = "a {0} input is refused at submit")
    @CsvSource({"NaN", "Infinity", "-Infinity"})
    void aNonFiniteInputIsRefusedAtSubmitAsNoWorkerCouldReadIt(double input) {
        TaskType doubles = types.of(CodecTasks.Doubles.class);
        assertThatThrownBy(() -> types.encode(doubles, input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot encode the input of " + CodecTasks.Doubles.class.getName()
                        + ": not a finite number: " + input + " (JSON has no NaN or Infinity)");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
