package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.internal.protocol.BootstrapReader;
import io.forkpool.internal.protocol.Messages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worker reads its bootstrap line without Jackson ({@link BootstrapReader}) and gives every
 * line the answer the control mapper gave before: the same record, or the same exception with the
 * same message. Each line of the table says whether the reader decides it itself (every line a
 * supervisor writes, and lines whose JSON is well-formed with the expected types but whose values
 * the checks refuse) or leaves it to the mapper (the rest); either way the answer is compared with
 * that of the mapper followed by the same checks, as {@code readBootstrap} did before.
 */
class BootstrapReaderTest {

    private static final String REQUIRED = "\"protocolVersion\":1,\"socketPath\":\"/s\",\"token\":\"t\",\"maxFrameLength\":4096";
    private static final String GOLDEN = "{\"protocolVersion\":1,\"socketPath\":\"/tmp/forkpool-123/w0-1.sock\","
            + "\"token\":\"9f86d081884c7d659a2feaa0c55ad015\",\"workerId\":0,\"maxFrameLength\":67108864,"
            + "\"supervisorPid\":4242,\"supervisorStartMillis\":1795806000123,\"allowedTasks\":[\"*\"]}";
    private static final boolean DECIDED = true;
    private static final boolean LEFT = false;

    /** The required fields and then {@code more}, as one object. */
    private static String with(String more) {
        return "{" + REQUIRED + more + "}";
    }

    /** Strings as UTF-8 and integers as raw bytes, concatenated. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String text) {
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    private static Arguments line(String what, boolean decided, String line) {
        return Arguments.of(what, decided, bytes(line));
    }

    static Stream<Arguments> lines() {
        String deep499 = "[".repeat(498) + "]".repeat(498); // with the line's object: 499 levels
        String deep500 = "[".repeat(499) + "]".repeat(499);
        String deep501 = "[".repeat(500) + "]".repeat(500);
        return Stream.of(
                // What supervisors write, and what a later version might add.
                line("the golden line", DECIDED, GOLDEN),
                line("the required fields only", DECIDED, with("")),
                line("every field", DECIDED, with(",\"workerId\":3,\"supervisorPid\":9,\"supervisorStartMillis\":10,"
                        + "\"allowedTasks\":[\"a.*\",\"b.C\"]")),
                line("whitespace everywhere", DECIDED, " \t{ \"protocolVersion\" :\r1 , \"socketPath\":\"/s\",\"token\"\t:"
                        + "\"t\" ,\"maxFrameLength\": 4096 ,\"allowedTasks\" : [ \"*\" , \"a.B\" ] } \r\t "),
                line("unknown scalars", DECIDED, with(",\"s\":\"x\",\"i\":-12,\"f\":-1.5e+3,\"e\":1E-2,\"z\":0.0,"
                        + "\"t\":true,\"n\":false,\"u\":null,\"big\":1e999,\"long\":123456789012345678901234567890")),
                line("unknown nested junk", DECIDED, with(",\"later\":{\"x\":[1,{\"a\":[null,true,\"]}\"]},[],{}],"
                        + "\"y\":{}},\"k\":[[],[[]],{\"\":{}}]")),
                line("unknown field of 499 levels", DECIDED, with(",\"u\":" + deep499)),
                line("unknown field of 500 levels", DECIDED, with(",\"u\":" + deep500)),
                line("unknown field of 501 levels", LEFT, with(",\"u\":" + deep501)),
                line("unknown type-id property", DECIDED, "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\"," + REQUIRED + "}"),
                line("empty property name", DECIDED, with(",\"\":1")),
                line("names compared exactly", DECIDED, "{\"PROTOCOLVERSION\":1,\"socketpath\":\"/s\",\"token\":\"t\"}"),
                line("escaped name", DECIDED, with(",\"tok\\u0065n\":\"esc\"")),
                line("empty object", DECIDED, "{}"),
                // Duplicates: the last one counts.
                line("duplicate token", DECIDED, with(",\"token\":\"u\"")),
                line("duplicate version, wrong then right", DECIDED, "{\"protocolVersion\":2," + REQUIRED + "}"),
                line("duplicate version, right then wrong", DECIDED, with(",\"protocolVersion\":2")),
                line("duplicate token then null", DECIDED, with(",\"token\":null")),
                line("duplicate list", DECIDED, with(",\"allowedTasks\":[\"a.B\"],\"allowedTasks\":[\"c.D\"]")),
                line("duplicate list then null", DECIDED, with(",\"allowedTasks\":[\"a.B\"],\"allowedTasks\":null")),
                line("duplicate after every field", DECIDED, with(",\"workerId\":1,\"supervisorPid\":2,"
                        + "\"supervisorStartMillis\":3,\"allowedTasks\":[\"*\"],\"x\":0,\"workerId\":4")),
                // Strings.
                line("unicode escapes", DECIDED, with(",\"socketPath\":\"\\u0041\\u00e9\\u4E2D\\ud83d\\ude00\\u0000\"")),
                line("short escapes", DECIDED, with(",\"token\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"")),
                line("lone surrogate escape", DECIDED, with(",\"token\":\"\\ud800\"")),
                line("reversed surrogate escapes", DECIDED, with(",\"token\":\"\\udc00\\ud800x\"")),
                line("raw UTF-8", DECIDED, with(",\"socketPath\":\"/tmp/\u00e9\u4e2d\ud83d\ude00\u007f\u2028\"")),
                line("empty token", DECIDED, with(",\"token\":\"\"")),
                line("null socket path", DECIDED, with(",\"socketPath\":null")),
                line("number as string", LEFT, with(",\"socketPath\":1")),
                line("float as string", LEFT, with(",\"token\":1.50")),
                line("boolean as string", LEFT, with(",\"socketPath\":true")),
                line("array as string", LEFT, with(",\"socketPath\":[\"/s\"]")),
                line("object as string", LEFT, with(",\"token\":{}")),
                line("raw tab in a string", LEFT, with(",\"token\":\"a\tb\"")),
                line("unknown escape", LEFT, with(",\"token\":\"\\x\"")),
                line("short unicode escape", LEFT, with(",\"token\":\"\\u00\"")),
                line("non-hex unicode escape", LEFT, with(",\"token\":\"\\uZZZZ\"")),
                line("unterminated string", LEFT, "{\"protocolVersion\":1,\"token\":\"t"),
                // Integers.
                line("negative zero", DECIDED, with(",\"workerId\":-0")),
                line("largest int", DECIDED, with(",\"workerId\":2147483647")),
                line("largest long", DECIDED, with(",\"supervisorPid\":9223372036854775807")),
                line("smallest long", DECIDED, with(",\"supervisorStartMillis\":-9223372036854775808")),
                line("negative worker id", DECIDED, with(",\"workerId\":-1")),
                line("frame length too small", DECIDED, with(",\"maxFrameLength\":1023")),
                line("frame length too large", DECIDED, with(",\"maxFrameLength\":1073741825")),
                line("no frame length", DECIDED, "{\"protocolVersion\":1,\"socketPath\":\"/s\",\"token\":\"t\"}"),
                line("int beyond int", LEFT, with(",\"workerId\":2147483648")),
                line("int below int", LEFT, with(",\"workerId\":-2147483649")),
                line("long beyond long", LEFT, with(",\"supervisorPid\":9223372036854775808")),
                line("long far beyond long", LEFT, with(",\"supervisorPid\":99999999999999999999999")),
                line("fraction for an int", LEFT, with(",\"protocolVersion\":1.0")),
                line("exponent for an int", LEFT, with(",\"workerId\":1e2")),
                line("negative zero float for a long", LEFT, with(",\"supervisorPid\":-0.0")),
                line("string for an int", LEFT, with(",\"protocolVersion\":\"1\"")),
                line("empty string for an int", LEFT, with(",\"workerId\":\"\"")),
                line("boolean for an int", LEFT, with(",\"protocolVersion\":true")),
                line("null for an int", LEFT, with(",\"workerId\":null")),
                line("null for a long", LEFT, with(",\"supervisorPid\":null")),
                line("array for an int", LEFT, with(",\"workerId\":[1]")),
                line("object for a long", LEFT, with(",\"supervisorPid\":{}")),
                line("leading zero", LEFT, with(",\"workerId\":01")),
                line("plus sign", LEFT, with(",\"workerId\":+1")),
                line("NaN", LEFT, with(",\"supervisorPid\":NaN")),
                line("1000-digit number", DECIDED, with(",\"u\":" + "9".repeat(1000))),
                line("1001-digit number", LEFT, with(",\"u\":" + "9".repeat(1001))),
                line("negative 1000-digit number", LEFT, with(",\"u\":-" + "9".repeat(1000))),
                // The allow-list.
                line("null list", DECIDED, with(",\"allowedTasks\":null")),
                line("empty list", DECIDED, with(",\"allowedTasks\":[]")),
                line("null in the list", DECIDED, with(",\"allowedTasks\":[null]")),
                line("empty entry", DECIDED, with(",\"allowedTasks\":[\"\"]")),
                line("malformed entry", DECIDED, with(",\"allowedTasks\":[\"com..X\"]")),
                line("number in the list", LEFT, with(",\"allowedTasks\":[1]")),
                line("boolean in the list", LEFT, with(",\"allowedTasks\":[true]")),
                line("list in the list", LEFT, with(",\"allowedTasks\":[\"*\",[\"x\"]]")),
                line("object in the list", LEFT, with(",\"allowedTasks\":[{}]")),
                line("string for the list", LEFT, with(",\"allowedTasks\":\"*\"")),
                line("empty string for the list", LEFT, with(",\"allowedTasks\":\"\"")),
                line("object for the list", LEFT, with(",\"allowedTasks\":{}")),
                line("number for the list", LEFT, with(",\"allowedTasks\":1")),
                line("trailing comma in the list", LEFT, with(",\"allowedTasks\":[\"*\",]")),
                // Malformed JSON.
                line("trailing comma", LEFT, with(",")),
                line("missing comma", LEFT, "{" + REQUIRED + " \"u\":1}"),
                line("missing colon", LEFT, with(",\"u\" 1")),
                line("unquoted name", LEFT, with(",u:1")),
                line("single quotes", LEFT, with(",\"u\":'x'")),
                line("comment", LEFT, with("") + " // c"),
                line("block comment", LEFT, with("") + " /* c */"),
                line("lone minus", LEFT, with(",\"u\":-")),
                line("point without digits", LEFT, with(",\"u\":1.")),
                line("point first", LEFT, with(",\"u\":.5")),
                line("exponent without digits", LEFT, with(",\"u\":1e+")),
                line("cut literal", LEFT, with(",\"u\":tru")),
                line("long literal", LEFT, with(",\"u\":truex")),
                line("number run into a literal", LEFT, with(",\"u\":1true")),
                line("array without comma", LEFT, with(",\"u\":[1 2]")),
                line("trailing comma in a nested object", LEFT, with(",\"u\":{\"a\":1,}")),
                line("unclosed array", LEFT, with(",\"u\":[")),
                line("mismatched close", LEFT, with(",\"u\":[}")),
                line("unclosed object", LEFT, "{" + REQUIRED),
                line("second document", LEFT, with("") + " {}"),
                line("trailing garbage", LEFT, with("") + "x"),
                line("trailing close", LEFT, with("") + "}"),
                line("trailing number", LEFT, with("") + " 1"),
                line("JSON null", LEFT, "null"),
                line("a boolean", LEFT, "true"),
                line("a number", LEFT, "1"),
                line("a string", LEFT, "\"x\""),
                line("an array", LEFT, "[1]"),
                line("empty line", LEFT, ""),
                line("only whitespace", LEFT, " \t "),
                // Bytes that are not plain UTF-8.
                Arguments.of("byte-order mark", LEFT, bytes(0xEF, 0xBB, 0xBF, GOLDEN)),
                Arguments.of("UTF-16LE", LEFT, GOLDEN.getBytes(StandardCharsets.UTF_16LE)),
                Arguments.of("UTF-16BE", LEFT, GOLDEN.getBytes(StandardCharsets.UTF_16BE)),
                Arguments.of("NUL after the brace", LEFT, bytes("{", 0, REQUIRED, "}")),
                Arguments.of("stray continuation byte", LEFT, bytes("{" + REQUIRED + ",\"token\":\"", 0x80, "\"}")),
                Arguments.of("overlong form", LEFT, bytes("{" + REQUIRED + ",\"token\":\"", 0xC0, 0xAF, "\"}")),
                Arguments.of("encoded surrogate", LEFT, bytes("{" + REQUIRED + ",\"token\":\"", 0xED, 0xA0, 0x80, "\"}")),
                Arguments.of("beyond U+10FFFF", LEFT, bytes("{" + REQUIRED + ",\"token\":\"", 0xF4, 0x90, 0x80, 0x80, "\"}")),
                Arguments.of("cut sequence", LEFT, bytes("{" + REQUIRED + ",\"token\":\"", 0xE4, 0xB8, "\"}")),
                Arguments.of("0xFF", LEFT, bytes("{" + REQUIRED + ",\"token\":\"", 0xFF, "\"}")),
                Arguments.of("bad bytes in an unknown value", LEFT, bytes("{" + REQUIRED + ",\"u\":\"", 0xC0, 0xAF, "\"}")),
                Arguments.of("bad bytes in an unknown name", LEFT, bytes("{" + REQUIRED + ",\"", 0xFF, "\":1}")),
                Arguments.of("raw DEL and C1", DECIDED, bytes("{" + REQUIRED + ",\"token\":\"", 0x7F, 0xC2, 0x80, "\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void answersEveryLineAsTheControlMapperDid(String what, boolean decided, byte[] line) throws IOException {
        assertThat(BootstrapReader.read(line).isPresent()).as("decided without Jackson").isEqualTo(decided);
        if (decided) {
            assertThat(BootstrapReader.read(line).get()).isEqualTo(Messages.decode(line, Messages.Bootstrap.class));
        }
        InputStream stdin = new ByteArrayInputStream(bytes(line, "\nREST"));
        assertThat(outcome(() -> Lifeline.readBootstrap(stdin))).isEqualTo(mapperOutcome(line));
        assertThat(new String(stdin.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("REST");
    }

    private static byte[] bytes(byte[] line, String after) {
        byte[] all = Arrays.copyOf(line, line.length + after.length());
        System.arraycopy(after.getBytes(StandardCharsets.US_ASCII), 0, all, line.length, after.length());
        return all;
    }

    @Test
    void decidesTheLongestLineAndLeavesLongerOnesToTheMapper() {
        String start = "{" + REQUIRED + ",\"u\":\"";
        String longest = start + "x".repeat(BootstrapReader.MAX_LINE_LENGTH - start.length() - 2) + "\"}";
        assertThat(longest).hasSize(BootstrapReader.MAX_LINE_LENGTH);
        assertThat(BootstrapReader.read(bytes(longest))).isPresent();
        assertThat(outcome(() -> Lifeline.readBootstrap(new ByteArrayInputStream(bytes(longest + "\n")))))
                .isEqualTo(mapperOutcome(bytes(longest)));
        String longer = start + "x".repeat(BootstrapReader.MAX_LINE_LENGTH - start.length() - 1) + "\"}";
        assertThat(BootstrapReader.read(bytes(longer))).isEmpty();
        assertThat(outcome(() -> Lifeline.readBootstrap(new ByteArrayInputStream(bytes(longer + "\n")))))
                .isEqualTo("IOException: bootstrap line longer than 16384 bytes");
    }

    /**
     * Lines near the valid ones, byte for byte: wherever the reader decides, it reads what the
     * mapper reads, and the worker's answer to every line is the one it gave before.
     */
    @Test
    void mutatedLinesGetTheMappersAnswer() {
        List<byte[]> seeds = new ArrayList<>();
        lines().filter(a -> (boolean) a.get()[1]).forEach(a -> seeds.add((byte[]) a.get()[2]));
        byte[] alphabet = bytes("{}[]\",:\\/ \t\r0123456789-+.eEtrufalsnbx@", 0, 0x1F, 0x7F, 0x80, 0xBF, 0xC2, 0xC3,
                0xA9, 0xE4, 0xED, 0xA0, 0xF0, 0x9F, 0xF4, 0x90, 0xFF);
        Random random = new Random(0x466f726b506f6f6cL);
        int decided = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] line = mutate(seeds.get(random.nextInt(seeds.size())), alphabet, random);
            if (BootstrapReader.read(line).isPresent()) {
                decided++;
                assertThat(outcome(() -> BootstrapReader.read(line).get()))
                        .as(new String(line, StandardCharsets.UTF_8)).isEqualTo(outcome(() -> Messages.decode(line,
                                Messages.Bootstrap.class)));
            }
            assertThat(outcome(() -> Lifeline.parse(line))).as(new String(line, StandardCharsets.UTF_8))
                    .isEqualTo(mapperOutcome(line));
        }
        assertThat(decided).as("mutants the reader decided").isGreaterThan(1_000);
    }

    private static byte[] mutate(byte[] seed, byte[] alphabet, Random random) {
        byte[] line = seed.clone();
        for (int edits = 1 + random.nextInt(3); edits > 0 && line.length > 0; edits--) {
            int at = random.nextInt(line.length);
            byte b = alphabet[random.nextInt(alphabet.length)];
            switch (random.nextInt(4)) {
                case 0 -> line[at] = b;
                case 1 -> {
                    byte[] longer = new byte[line.length + 1];
                    System.arraycopy(line, 0, longer, 0, at);
                    longer[at] = b;
                    System.arraycopy(line, at, longer, at + 1, line.length - at);
                    line = longer;
                }
                case 2 -> {
                    byte[] shorter = new byte[line.length - 1];
                    System.arraycopy(line, 0, shorter, 0, at);
                    System.arraycopy(line, at + 1, shorter, at, line.length - at - 1);
                    line = shorter;
                }
                default -> { // a slice repeated: duplicate fields, doubled brackets
                    int end = at + random.nextInt(Math.min(40, line.length - at) + 1);
                    byte[] slice = Arrays.copyOfRange(line, at, end);
                    byte[] longer = new byte[line.length + slice.length];
                    System.arraycopy(line, 0, longer, 0, end);
                    System.arraycopy(slice, 0, longer, end, slice.length);
                    System.arraycopy(line, end, longer, end + slice.length, line.length - end);
                    line = longer;
                }
            }
        }
        return line;
    }

    /** What {@code readBootstrap} answered before it read without Jackson. */
    private static String mapperOutcome(byte[] line) {
        return outcome(() -> Lifeline.validated(Messages.decode(line, Messages.Bootstrap.class)));
    }

    private interface Read {
        Messages.Bootstrap read() throws IOException;
    }

    private static String outcome(Read read) {
        try {
            return "accepted " + read.read();
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
