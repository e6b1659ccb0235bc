package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.exc.StreamWriteException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The data mapper, which decodes a task's input in the worker and its output in the supervisor,
 * decodes a value only from the JSON it is written as (PROTOCOL.md 5): no coercion, and no NaN or
 * infinity either way.
 */
class StrictDataTest {

    private static final JsonMapper MAPPER = Messages.newDataMapper(1 << 20);

    /** A record with one field of each kind a coercion could reach. */
    public record Fields(long count, int small, double ratio, boolean flag, String text) {
    }

    private static Class<?> type(String name) throws ClassNotFoundException {
        return switch (name) {
            case "Fields" -> Fields.class;
            case "double[]" -> double[].class;
            case "float[]" -> float[].class;
            case "long[]" -> long[].class;
            case "TimeUnit" -> TimeUnit.class;
            case "BigDecimal" -> BigDecimal.class;
            default -> Class.forName("java.lang." + name);
        };
    }

    @ParameterizedTest(name = "{0} is not a {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            "25"                | Long    | Cannot coerce String value ("25") to `java.lang.Long` value
            1.5                 | Long    | Cannot coerce Floating-point value (1.5) to `java.lang.Long` value
            1.0                 | Long    | Cannot coerce Floating-point value (1.0) to `java.lang.Long` value
            1e2                 | Integer | Cannot coerce Floating-point value (1e2) to `java.lang.Integer` value
            true                | Integer | Cannot deserialize value of type `java.lang.Integer` from Boolean value
            ""                  | Long    | Cannot coerce empty String ("") to `java.lang.Long` value
            1                   | Boolean | Cannot coerce Integer value (1) to `java.lang.Boolean` value
            "true"              | Boolean | Cannot coerce String value ("true") to `java.lang.Boolean` value
            25                  | String  | Cannot coerce Integer value (25) to `java.lang.String` value
            true                | String  | Cannot coerce Boolean value (true) to `java.lang.String` value
            "1.5"               | Double  | Cannot coerce String value ("1.5") to `java.lang.Double` value
            "5"                 | BigDecimal | Cannot coerce String value ("5") to `java.math.BigDecimal` value
            1                   | TimeUnit | Cannot deserialize value of type `java.util.concurrent.TimeUnit` from number 1
            "NaN"               | Double  | not a finite number: NaN (JSON has no NaN or Infinity)
            "Infinity"          | Double  | not a finite number: Infinity (JSON has no NaN or Infinity)
            "-Infinity"         | Float   | not a finite number: -Infinity (JSON has no NaN or Infinity)
            1e400               | Double  | not a finite number: 1e400 (JSON has no NaN or Infinity)
            1e39                | Float   | not a finite number: 1e39 (JSON has no NaN or Infinity)
            [1,"NaN"]           | double[] | not a finite number: NaN (JSON has no NaN or Infinity) in a double[]
            [1,1e39]            | float[] | not a finite number: Infinity (JSON has no NaN or Infinity) in a float[]
            [1,"2"]             | long[]  | Cannot coerce String value ("2") to element of `long[]`
            {"count":"1","small":1,"ratio":1,"flag":true,"text":"x"} | Fields | Cannot coerce String value ("1") to `long` value
            {"count":1,"small":1.5,"ratio":1,"flag":true,"text":"x"} | Fields | Cannot coerce Floating-point value (1.5) to `int` value
            {"count":1,"small":1,"ratio":"NaN","flag":true,"text":"x"} | Fields | not a finite number: NaN
            {"count":1,"small":1,"ratio":1,"flag":1,"text":"x"} | Fields | Cannot coerce Integer value (1) to `boolean` value
            {"count":1,"small":1,"ratio":1,"flag":true,"text":5} | Fields | Cannot coerce Integer value (5) to `java.lang.String` value
            """)
    void aValueDecodesOnlyFromTheJsonItIsWrittenAs(String json, String typeName, String message) throws Exception {
        Class<?> type = type(typeName);
        assertThatThrownBy(() -> MAPPER.readValue(json, type))
                .isInstanceOf(DatabindException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "{0} is a {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            25     | Long    | 25
            -3     | Integer | -3
            25     | Double  | 25.0
            1.5    | Double  | 1.5
            25     | Float   | 25.0
            true   | Boolean | true
            "25"   | String  | 25
            ""     | String  | ~~
            null   | Long    |
            1      | BigDecimal | 1
            "SECONDS" | TimeUnit | SECONDS
            """)
    void aValueWrittenAsItsTypeDecodes(String json, String typeName, String expected) throws Exception {
        Object value = MAPPER.readValue(json, type(typeName));
        assertThat(value == null ? null : value.toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ({1}) is not written")
    @CsvSource(delimiter = '|', textBlock = """
            NaN               | a Double
            Infinity          | a Float
            -Infinity         | a double[]
            NaN               | a float[]
            NaN               | a record's field
            Infinity          | a list's element
            -Infinity         | a map's value
            NaN               | a tree's number
            """)
    void nanAndTheInfinitiesAreNeverWritten(String number, String where) {
        double d = Double.parseDouble(number);
        Object value = switch (where) {
            case "a Double" -> d;
            case "a Float" -> (float) d;
            case "a double[]" -> new double[] {1, d};
            case "a float[]" -> new float[] {1, (float) d};
            case "a record's field" -> new Fields(1, 1, d, true, "x");
            case "a list's element" -> List.of(1.0, d);
            case "a map's value" -> Map.of("k", d);
            default -> MAPPER.getNodeFactory().arrayNode().add(1).add(d);
        };
        assertThatThrownBy(() -> MAPPER.writeValueAsBytes(value))
                .isInstanceOf(StreamWriteException.class)
                .hasMessageStartingWith("not a finite number: " + number + " (JSON has no NaN or Infinity)");
        assertThat(new String(MAPPER.writeValueAsBytes(List.of(2.5, 1e300, -0.0f)))).isEqualTo("[2.5,1.0E300,-0.0]");
    }
}
