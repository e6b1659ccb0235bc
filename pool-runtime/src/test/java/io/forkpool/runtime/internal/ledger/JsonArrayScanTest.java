package io.forkpool.runtime.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.internal.protocol.Messages;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The element boundaries of a JSON array, found without a parser. */
class JsonArrayScanTest {

    private static final JsonMapper MAPPER = Messages.newDataMapper(1 << 20);

    @Test
    void cutsAnArrayIntoWhatLiesBetweenItsOwnSeparators() {
        String json = "[1,\"a,]b \\\"q\\\"\" , {\"x\":[1,{\"y\":\"]\"}]},null,-2.5e3,[],true ]";

        assertThat(elements(json, 7)).containsExactly("1", "\"a,]b \\\"q\\\"\" ", " {\"x\":[1,{\"y\":\"]\"}]}", "null",
                "-2.5e3", "[]", "true ");
    }

    @Test
    void skipsStringsByTheirEscapesAndMultibyteCharacters() {
        String[] strings = {"\"\\\\\"", "\"\\\\\\\"\"", "\"\\\"]\"", "\"\\u0022,\"", "\"caf\u00e9,\u4e2d\u6587]\"",
            "\"\ud83d\ude00\\\\\"", "\"\"", "\"{[\"", "\"\\/\\b\\f\\n\\r\\t\""};
        String json = "[" + String.join(",", strings) + "]";

        assertThat(elements(json, strings.length)).containsExactly(strings);
    }

    @Test
    void findsTheEndsOfNestingDeeperThanItsFirstStack() {
        String deep = "[".repeat(2_000) + "\"]\"" + "]".repeat(2_000);
        String json = "[" + deep + ",{\"a\":" + deep + "},0]";

        assertThat(elements(json, 3)).containsExactly(deep, "{\"a\":" + deep + "}", "0");
    }

    @Test
    void givesStartsAndTheEndOfTheArray() {
        byte[] json = bytes("[10,\"x\",[2]]");

        assertThat(JsonArrayScan.elementStarts(json, json.length, 3)).containsExactly(1, 4, 8, 12);
        assertThat(JsonArrayScan.elementStarts(bytes("[]"), 2, 0)).containsExactly(2);
        assertThat(JsonArrayScan.elementStarts(bytes("[ \n]"), 4, 0)).containsExactly(4);
        assertThat(JsonArrayScan.elementStarts(bytes("[7]"), 3, 1)).containsExactly(1, 3);
    }

    @Test
    void readsOnlyTheLengthItIsGiven() {
        byte[] json = bytes("[1,2]garbage\"[{");

        assertThat(JsonArrayScan.elementStarts(json, 5, 2)).containsExactly(1, 3, 5);
    }

    @Test
    void refusesWhatIsNotAnArrayOfThatManyElements() {
        String[] refused = {"", "[", "1", "{}", " [1]", "[1]]", "[1] ", "[1,]", "[,1]", "[1,,2]", "[ ]x", "[1 , ]",
            "[\"a]", "[\"a\\\"]", "[\"a\\", "[[1]", "[[1}]", "[{1]}]", "[1}", "[{\"a\":1]", "[\"a\":1]", "[1,2", "[1]x",
            "[]]", "[[]]]"};
        for (String json : refused) {
            byte[] bytes = bytes(json);
            for (int count = 0; count < 3; count++) {
                assertThat(JsonArrayScan.elementStarts(bytes, bytes.length, count)).as("%s of %d", json, count).isNull();
            }
        }
        assertThat(JsonArrayScan.elementStarts(bytes("[1,2]"), 5, 1)).isNull();
        assertThat(JsonArrayScan.elementStarts(bytes("[1,2]"), 5, 3)).isNull();
        assertThat(JsonArrayScan.elementStarts(bytes("[1]"), 3, 0)).isNull();
        assertThat(JsonArrayScan.elementStarts(bytes("[]"), 2, 1)).isNull();
        assertThat(JsonArrayScan.elementStarts(bytes("[1]"), 4, 1)).isNull(); // longer than the array given
    }

    /** Jackson's array of many random values, cut by the scan, gives back each value as Jackson encodes it alone. */
    @Test
    void cutsJacksonsArraysIntoJacksonsOwnEncodingOfEachElement() {
        Random random = new Random(20240517);
        for (int round = 0; round < 300; round++) {
            List<Object> values = new ArrayList<>();
            int count = random.nextInt(40);
            for (int i = 0; i < count; i++) {
                values.add(randomValue(random, 0));
            }
            byte[] json = MAPPER.writeValueAsBytes(values);

            int[] starts = JsonArrayScan.elementStarts(json, json.length, count);

            assertThat(starts).as("round %d: %s", round, new String(json, StandardCharsets.UTF_8)).isNotNull();
            for (int i = 0; i < count; i++) {
                byte[] alone = MAPPER.writeValueAsBytes(values.get(i));
                assertThat(Arrays.copyOfRange(json, starts[i], starts[i + 1] - 1)).as("round %d, element %d", round, i)
                        .isEqualTo(alone);
            }
            assertThat(starts[count]).isEqualTo(json.length);
        }
    }

    /** Documents joined with whitespace around them, as a document pool may be given them, come back byte for byte. */
    @Test
    void keepsTheWhitespaceAroundEachElementWithIt() {
        Random random = new Random(7);
        String[] spaces = {"", " ", "\n", "\t", "\r\n", "  \t "};
        for (int round = 0; round < 200; round++) {
            int count = 1 + random.nextInt(20);
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            json.write('[');
            List<byte[]> pieces = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String piece = spaces[random.nextInt(spaces.length)]
                        + new String(MAPPER.writeValueAsBytes(randomValue(random, 0)), StandardCharsets.UTF_8)
                        + spaces[random.nextInt(spaces.length)];
                pieces.add(bytes(piece));
                json.writeBytes(bytes(piece));
                json.write(i == count - 1 ? ']' : ',');
            }
            byte[] array = json.toByteArray();

            int[] starts = JsonArrayScan.elementStarts(array, array.length, count);

            assertThat(starts).isNotNull();
            for (int i = 0; i < count; i++) {
                assertThat(Arrays.copyOfRange(array, starts[i], starts[i + 1] - 1)).isEqualTo(pieces.get(i));
            }
        }
    }

    /** Broken arrays never make it throw; what it accepts is always a well-formed cut. */
    @Test
    void survivesMangledArrays() {
        Random random = new Random(99);
        byte[] alphabet = bytes("[]{}\",:\\ 1a\u00e9");
        for (int round = 0; round < 5_000; round++) {
            List<Object> values = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                values.add(randomValue(random, 2));
            }
            byte[] json = MAPPER.writeValueAsBytes(values);
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                json[random.nextInt(json.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(json.length + 1) : json.length;
            int expected = Math.max(0, count + random.nextInt(3) - 1);

            int[] starts = JsonArrayScan.elementStarts(json, length, expected);

            if (starts != null) {
                assertThat(starts).hasSize(expected + 1);
                assertThat(starts[expected]).isEqualTo(length);
                for (int i = 0; i < expected; i++) {
                    assertThat(starts[i]).isLessThan(starts[i + 1]);
                    assertThat(json[starts[i + 1] - 1]).isIn((byte) ',', (byte) ']');
                }
            }
        }
    }

    /** A random JSON-able value: scalars of every kind, strings full of what a scanner could trip on, nesting. */
    static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 9 : 12);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> random.nextLong();
            case 4 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20) * (random.nextBoolean() ? 1 : -1);
            case 5 -> new BigDecimal(new BigInteger(80, random), random.nextInt(30) - 10);
            case 6, 7, 8 -> randomString(random);
            case 9, 10 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    map.put(randomString(random), randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }

    private static final int[] AWKWARD = {'"', '\\', ',', '[', ']', '{', '}', ':', '/', ' ', '\n', '\t', 0, 1, 0x1f,
        0x7f, 0xe9, 0x4e2d, 0x2028, 0xfeff, 0x1f600, 0x10ffff};

    static String randomString(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int codePoint = random.nextInt(3) == 0 ? AWKWARD[random.nextInt(AWKWARD.length)]
                    : random.nextInt(2) == 0 ? 'a' + random.nextInt(26) : 0xa0 + random.nextInt(0xd000);
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static List<String> elements(String json, int count) {
        byte[] bytes = bytes(json);
        int[] starts = JsonArrayScan.elementStarts(bytes, bytes.length, count);
        assertThat(starts).as(json).isNotNull();
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            elements.add(new String(bytes, starts[i], starts[i + 1] - 1 - starts[i], StandardCharsets.UTF_8));
        }
        return elements;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
