package io.forkpool.runtime.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import io.forkpool.runtime.internal.ledger.CodecTasks.Base;
import io.forkpool.runtime.internal.ledger.CodecTasks.Circle;
import io.forkpool.runtime.internal.ledger.CodecTasks.Color;
import io.forkpool.runtime.internal.ledger.CodecTasks.Point;
import io.forkpool.runtime.internal.ledger.CodecTasks.Square;
import io.forkpool.runtime.internal.ledger.CodecTasks.Sub;
import io.forkpool.spi.TaskAllowList;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A batch's inputs are encoded, and a chunk's outputs decoded, in one Jackson call each, and
 * exactly as one by one: the same bytes, the same values, and on failure the same exception
 * naming the same input.
 */
class BatchCodecTest {

    private static final int MAX_FRAME = 1 << 20;
    private static final JsonMapper MAPPER = Messages.newDataMapper(MAX_FRAME);

    private final TaskTypes types = new TaskTypes(TaskAllowList.of(List.of(TaskAllowList.ANY)),
            CompletableFuture.completedFuture(MAPPER), MAX_FRAME);

    // ---- encoding --------------------------------------------------------------------------------

    @Test
    void encodesEachInputInOneCallExactlyAsItIsEncodedAlone() {
        assertEncodedAsAlone(CodecTasks.Ints.class, Arrays.asList(1, null, -2_147_483_648, 0));
        assertEncodedAsAlone(CodecTasks.Doubles.class, Arrays.asList(0.1, -0.0, 1e300, Double.MIN_VALUE, null));
        assertEncodedAsAlone(CodecTasks.Decimals.class, List.of(new BigDecimal("1e-30"), new BigDecimal("12.500")));
        assertEncodedAsAlone(CodecTasks.Strings.class, List.of("", "a,b", "]", "\"q\"", "\\", "caf\u00e9 \ud83d\ude00",
                "\u0000\u001f\u2028"));
        assertEncodedAsAlone(CodecTasks.Bytes.class, Arrays.asList(new byte[] {1, 2, 3}, new byte[0], null));
        assertEncodedAsAlone(CodecTasks.IntArrays.class, List.of(new int[] {1, 2}, new int[0]));
        assertEncodedAsAlone(CodecTasks.StringLists.class, List.of(List.of("x", "y,"), List.of()));
        assertEncodedAsAlone(CodecTasks.IntMaps.class, List.of(Map.of("a", 1), Map.of()));
        assertEncodedAsAlone(CodecTasks.Points.class, List.of(new Point(1, 2), new Point(-3, 4)));
        assertEncodedAsAlone(CodecTasks.Colors.class, List.of(Color.GREEN, Color.RED));
        // Written as the declared type, as alone: a subclass's own properties are left out...
        assertEncodedAsAlone(CodecTasks.Bases.class, List.of(new Sub(), new Base()));
        // ...unless the type says its JSON names its subtype.
        assertEncodedAsAlone(CodecTasks.Shapes.class, List.of(new Circle(), new Square()));
        assertEncodedAsAlone(CodecTasks.Anything.class, Arrays.asList(new Sub(), new Circle(), 1, "s", null,
                List.of(1, "2"), Map.of("k", List.of())));
        assertEncodedAsAlone(CodecTasks.Strings.class, new LinkedList<>(List.of("a", "b")));
        assertEncodedAsAlone(CodecTasks.Strings.class, List.of());
    }

    @Test
    void encodesRandomValuesInOneCallExactlyAsEachAlone() {
        Random random = new Random(31);
        for (int round = 0; round < 300; round++) {
            List<Object> inputs = new ArrayList<>();
            for (int i = random.nextInt(50); i > 0; i--) {
                inputs.add(JsonArrayScanTest.randomValue(random, 0));
            }
            assertEncodedAsAlone(CodecTasks.Anything.class, inputs);
            List<String> strings = new ArrayList<>();
            for (int i = random.nextInt(50); i > 0; i--) {
                strings.add(JsonArrayScanTest.randomString(random));
            }
            assertEncodedAsAlone(CodecTasks.Strings.class, strings);
        }
    }

    @Test
    void leavesToTheOneByOneEncodingWhatOneCallCannotEncode() {
        TaskType anything = types.of(CodecTasks.Anything.class);
        assertThat(anything.encodeInputs(List.of(1, new CodecTasks.Exploding()))).isNull(); // its getter throws
        TaskType ints = types.of(CodecTasks.Ints.class);
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Object> polluted = (List) new ArrayList<>(List.of(1, "two")); // what an unchecked cast lets through
        assertThat(ints.encodeInputs(polluted)).isNull();
        assertThat(ints.encodeInputs(List.of(1_000, 2_000, 3_000), 10)).isNull(); // more bytes than allowed
        assertThat(ints.encodeInputs(List.of(1_000, 2_000), 9).count()).isEqualTo(2); // exactly as many
        assertThat(types.documents("x.Task").encodeInputs(List.of(bytes("1")))).isNull();
    }

    @Test
    void theNestingCapStaysPerInputAlthoughTheBatchIsOneArray() {
        Object deepest = nested(500);
        Object tooDeep = nested(501);
        TaskType anything = types.of(CodecTasks.Anything.class);

        assertThat(anything.encodeInputs(List.of(deepest, 1, deepest))).isNotNull(); // in one call
        EncodedInputs encoded = types.encodeAll(anything, List.of(deepest, 1, deepest));
        assertThat(encoded.slice(0)).isEqualTo(anything.encodeInput(deepest));
        assertThat(encoded.slice(2)).isEqualTo(anything.encodeInput(deepest));

        String alone = messageOf(() -> types.encode(anything, tooDeep));
        assertThat(alone).startsWith("cannot encode the input of " + CodecTasks.Anything.class.getName() + ": ")
                .contains("a cycle or nesting deeper than 500 levels (at ");
        assertThatThrownBy(() -> types.encodeAll(anything, List.of(1, tooDeep, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(alone);
    }

    @Test
    void aCycleInAnInputIsNamedInAShortMessageWithoutJacksonsHugeCause() {
        Map<String, Object> a = new java.util.HashMap<>();
        Map<String, Object> b = new java.util.HashMap<>();
        a.put("b", b);
        b.put("a", a);
        TaskType anything = types.of(CodecTasks.Anything.class);

        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> types.encode(anything, a));

        assertThat(e.getMessage()).isEqualTo("cannot encode the input of " + CodecTasks.Anything.class.getName()
                + ": a cycle or nesting deeper than 500 levels (at HashMap[\"b\"] -> HashMap[\"a\"] -> HashMap[\"b\"] -> ...)");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void aBatchFailsWithTheMessageOfItsFirstBadInputAsOneByOne() {
        TaskTypes small = new TaskTypes(TaskAllowList.of(List.of(TaskAllowList.ANY)),
                CompletableFuture.completedFuture(MAPPER), 200);
        TaskType anything = small.of(CodecTasks.Anything.class);
        String name = CodecTasks.Anything.class.getName();
        String tooLong = "x".repeat(150);
        Object unencodable = new CodecTasks.Exploding();
        String tooLongMessage = messageOf(() -> small.encode(anything, tooLong));
        String unencodableMessage = messageOf(() -> small.encode(anything, unencodable));
        assertThat(tooLongMessage).isEqualTo("the input of " + name + " encodes to " + (2 + name.length() + 1 + 152)
                + " bytes, more than maxFrameLength 200");
        assertThat(unencodableMessage).startsWith("cannot encode the input of " + name + ": ");

        assertThatThrownBy(() -> small.encodeAll(anything, List.of(1, tooLong, unencodable)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(tooLongMessage);
        assertThatThrownBy(() -> small.encodeAll(anything, List.of(1, unencodable, tooLong)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(unencodableMessage);
        assertThatThrownBy(() -> small.encodeAll(anything, List.of("ok", tooLong))) // encoded in one call, then checked
                .isInstanceOf(IllegalArgumentException.class).hasMessage(tooLongMessage);
        assertThat(small.encodeAll(anything, List.of("x".repeat(100), 1)).count()).isEqualTo(2);
    }

    @Test
    void documentsAreJoinedAsTheyAreAndCheckedOneByOne() {
        TaskTypes small = new TaskTypes(TaskAllowList.of(List.of(TaskAllowList.ANY)),
                CompletableFuture.completedFuture(MAPPER), 20);
        TaskType documents = small.documents("x.Task");

        EncodedInputs encoded = small.encodeAll(documents, List.of(bytes(" 1 "), bytes("{\"a\":[2]}")));
        assertThat(encoded.slice(0)).isEqualTo(bytes(" 1 "));
        assertThat(encoded.slice(1)).isEqualTo(bytes("{\"a\":[2]}"));

        assertThatThrownBy(() -> small.encodeAll(documents, List.of(bytes("1"), bytes("\"" + "x".repeat(20) + "\""))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the input of x.Task encodes to 31 bytes, more than maxFrameLength 20");
        assertThatThrownBy(() -> small.encodeAll(documents, Arrays.asList(bytes("1"), null)))
                .isInstanceOf(NullPointerException.class);
    }

    private void assertEncodedAsAlone(Class<?> taskClass, List<?> inputs) {
        TaskType type = types.of(taskClass);
        EncodedInputs encoded = type.encodeInputs(inputs);
        assertThat(encoded).as("%s: %s", taskClass.getSimpleName(), inputs).isNotNull();
        assertThat(encoded.count()).isEqualTo(inputs.size());
        int i = 0;
        for (Object input : inputs) {
            assertThat(new String(encoded.slice(i), StandardCharsets.UTF_8)).as("%s input %d", taskClass.getSimpleName(), i)
                    .isEqualTo(new String(type.encodeInput(input), StandardCharsets.UTF_8));
            i++;
        }
        assertThat(types.encodeAll(type, inputs).count()).isEqualTo(inputs.size());
    }

    private static Object nested(int depth) {
        Object value = 1;
        for (int i = 0; i < depth; i++) {
            value = List.of(value);
        }
        return value;
    }

    // ---- decoding --------------------------------------------------------------------------------

    @Test
    void decodesAChunksOutputsInOneCall() throws Exception {
        TaskType points = types.of(CodecTasks.Points.class);
        byte[] result = bytes("[{\"x\":1,\"y\":2}, null ,{\"y\":4,\"x\":3}]");

        assertThat(points.decodeArray(result, 3)).containsExactly(new Point(1, 2), null, new Point(3, 4));
        assertThat(points.decodeOutputs(result, 3)).containsExactly(new Point(1, 2), null, new Point(3, 4));
        assertThat(types.of(CodecTasks.Ints.class).decodeArray(bytes("[1,2,3]"), 3)).containsExactly(1, 2, 3);
    }

    @Test
    void anOutputThatDoesNotDecodeFailsAsItDidOneByOne() throws Exception {
        TaskType points = types.of(CodecTasks.Points.class);
        byte[] result = bytes("[{\"x\":1,\"y\":2},{\"x\":1,\"z\":2},{\"x\":\"a\"}]");

        String expected = messageOf(() -> points.decodeEach(result, 3));
        assertThat(expected).contains("\"z\""); // the second output's unknown property, not the third's
        assertThatThrownBy(() -> points.decodeOutputs(result, 3)).hasMessage(expected);
    }

    @Test
    void aResultThatBreaksTheProtocolIsReportedAsOneByOne() {
        TaskType ints = types.of(CodecTasks.Ints.class);
        assertProtocolError(ints, "[1,2]", 3, "the RESULT of a BATCH of 3 holds 2 outputs");
        assertProtocolError(ints, "[1,2,3,4]", 3, "the RESULT of a BATCH of 3 holds more outputs");
        assertProtocolError(ints, "[1,2,3,\"x\"]", 3, "the RESULT of a BATCH of 3 holds more outputs");
        assertProtocolError(ints, "{\"a\":1}", 1, "the RESULT of a BATCH is not a JSON array");
        assertProtocolError(ints, "null", 1, "the RESULT of a BATCH is not a JSON array");
        assertProtocolError(types.of(CodecTasks.Bytes.class), "\"AQID\"", 1, "the RESULT of a BATCH is not a JSON array");
        assertProtocolError(ints, "[1,2] [3]", 2, "trailing data after the RESULT of a BATCH");
        assertProtocolError(ints, "[1,2", 2, "the RESULT of a BATCH is not valid JSON: ");
        assertProtocolError(ints, "[1,2]]", 2, "the RESULT of a BATCH is not valid JSON: ");
        assertProtocolError(ints, "[1,tru]", 2, "the RESULT of a BATCH is not valid JSON: ");
    }

    private static void assertProtocolError(TaskType type, String result, int count, String message) {
        String oneByOne = messageOf(() -> type.decodeEach(bytes(result), count));
        assertThat(oneByOne).startsWith(message);
        assertThatThrownBy(() -> type.decodeOutputs(bytes(result), count)).isInstanceOf(ProtocolException.class)
                .hasMessage(oneByOne);
    }

    /**
     * Random arrays of awkward elements for outputs of many types: whenever the one call decodes an
     * array, one by one decodes it to the same values; and whatever the array, the answer is one by
     * one's, values or failure.
     */
    @Test
    void decodesRandomResultsInOneCallExactlyAsOneByOne() throws Exception {
        String[] elements = {"1", "-7", "0", "2147483648", "9223372036854775808", "1.5", "1e2", "1.0", "-0.0", "\"1\"",
            "\"x\"", "\"\"", "\"RED\"", "\"AQID\"", "\"2.5\"", "true", "false", "null", "[]", "[1]", "[1,2]", "[\"a\"]",
            "[1,[2]]", "{}", "{\"a\":1}", "{\"x\":1,\"y\":2}", "{\"x\":1,\"y\":2,\"z\":3}", "{\"a\":\"b\"}", "\"circle\"",
            "{\"@type\":\"circle\",\"r\":2}", "{\"@type\":\"square\",\"side\":\"3\"}", "{\"@type\":\"hexagon\"}",
            "{\"a\":1,\"b\":2}", " 3 "};
        Class<?>[] tasks = {CodecTasks.Ints.class, CodecTasks.Longs.class, CodecTasks.Doubles.class,
            CodecTasks.Decimals.class, CodecTasks.Booleans.class, CodecTasks.Strings.class, CodecTasks.Anything.class,
            CodecTasks.Bytes.class, CodecTasks.IntArrays.class, CodecTasks.StringLists.class, CodecTasks.IntMaps.class,
            CodecTasks.Points.class, CodecTasks.Colors.class, CodecTasks.Shapes.class, CodecTasks.Nodes.class};
        Random random = new Random(5);
        int decodedInOneCall = 0;
        for (Class<?> task : tasks) {
            TaskType type = types.of(task);
            List<String> accepted = new ArrayList<>(); // the elements one by one decodes for this type
            for (String element : elements) {
                if (outcome(() -> type.decodeEach(bytes("[" + element + "]"), 1)) instanceof Object[]) {
                    accepted.add(element);
                }
            }
            assertThat(accepted).as(task.getSimpleName()).isNotEmpty();
            for (int round = 0; round < 400; round++) {
                int n = 1 + random.nextInt(4);
                List<String> chosen = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    chosen.add(random.nextInt(3) == 0 ? elements[random.nextInt(elements.length)]
                            : accepted.get(random.nextInt(accepted.size())));
                }
                byte[] result = bytes("[" + String.join(",", chosen) + "]");
                int count = random.nextInt(8) == 0 ? n + random.nextInt(3) - 1 : n;
                String what = task.getSimpleName() + " " + count + " of " + new String(result, StandardCharsets.UTF_8);

                Object oneByOne = outcome(() -> type.decodeEach(result, count));
                Object oneCall = outcome(() -> type.decodeArray(result, count));
                Object answer = outcome(() -> type.decodeOutputs(result, count));

                assertSameOutcome(what, answer, oneByOne);
                if (oneCall instanceof Object[]) {
                    decodedInOneCall++;
                    assertSameOutcome(what + " (one call)", oneCall, oneByOne);
                }
            }
        }
        assertThat(decodedInOneCall).isGreaterThan(2_000);
    }

    private static void assertSameOutcome(String what, Object actual, Object expected) {
        if (expected instanceof Object[] values) {
            assertThat(actual).as(what).isInstanceOf(Object[].class);
            assertThat(Arrays.deepEquals((Object[]) actual, values)).as("%s: %s vs %s", what,
                    Arrays.deepToString((Object[]) actual), Arrays.deepToString(values)).isTrue();
        } else {
            assertThat(actual).as(what).isInstanceOf(Throwable.class);
            assertThat(actual.getClass()).as(what).isEqualTo(expected.getClass());
            assertThat(((Throwable) actual).getMessage()).as(what).isEqualTo(((Throwable) expected).getMessage());
        }
    }

    private interface Call {
        Object call() throws Exception;
    }

    /** @return what it returned, or what it threw */
    private static Object outcome(Call call) {
        try {
            return call.call();
        } catch (Exception e) {
            return e;
        }
    }

    private static String messageOf(Call call) {
        Object outcome = outcome(call);
        assertThat(outcome).isInstanceOf(Exception.class);
        return ((Exception) outcome).getMessage();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
