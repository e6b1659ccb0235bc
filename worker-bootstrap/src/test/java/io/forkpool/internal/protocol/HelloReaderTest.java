package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The supervisor reads a HELLO without Jackson ({@link HelloReader}) to the record the control
 * mapper reads, and leaves to the mapper every payload it does not decide, so that the mapper
 * still accepts or refuses it with its own message.
 */
class HelloReaderTest {

    private static final boolean DECIDED = true;
    private static final boolean LEFT = false;
    private static final String TOKEN = "\"token\":\"9f86d081884c7d659a2feaa0c55ad015\"";

    private static Arguments payload(String what, boolean decided, String json) {
        return Arguments.of(what, decided, json.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> payloads() {
        return Stream.of(
                payload("what the Java worker writes", DECIDED, "{\"protocolVersion\":1,\"pid\":4242," + TOKEN
                        + ",\"runtime\":\"java 17.0.15\",\"features\":[\"batch\",\"ping\"]}"),
                payload("no features", DECIDED, "{\"protocolVersion\":1,\"pid\":4242," + TOKEN + ",\"runtime\":\"python 3\"}"),
                payload("null features and runtime", DECIDED, "{\"protocolVersion\":1,\"pid\":1," + TOKEN
                        + ",\"runtime\":null,\"features\":null}"),
                payload("empty features", DECIDED, "{\"protocolVersion\":1," + TOKEN + ",\"features\":[]}"),
                payload("fields in another order, whitespace", DECIDED, " {\n\"features\" : [ \"batch\" ] , " + TOKEN
                        + " ,\t\"pid\":-3,\"protocolVersion\":2 } "),
                payload("a field of a later version", DECIDED, "{\"protocolVersion\":1,\"pid\":1," + TOKEN
                        + ",\"later\":{\"x\":[1,2.5,true,null,\"s\"]},\"runtime\":\"r\"}"),
                payload("a field given twice", DECIDED, "{\"pid\":1,\"pid\":2," + TOKEN + ",\"token\":\"second\"}"),
                payload("escapes in the token", DECIDED, "{\"token\":\"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\\n\"}"),
                payload("a type-id property", DECIDED, "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\"," + TOKEN + "}"),
                payload("no token", LEFT, "{\"protocolVersion\":1,\"pid\":1}"),
                payload("a null token", LEFT, "{\"protocolVersion\":1,\"token\":null}"),
                payload("a number for the token", LEFT, "{\"protocolVersion\":1,\"token\":12}"),
                payload("a string for the pid", LEFT, "{\"pid\":\"12\"," + TOKEN + "}"),
                payload("a fraction for the version", LEFT, "{\"protocolVersion\":1.0," + TOKEN + "}"),
                payload("a version beyond an int", LEFT, "{\"protocolVersion\":4294967297," + TOKEN + "}"),
                payload("a null feature", LEFT, "{" + TOKEN + ",\"features\":[\"batch\",null]}"),
                payload("a number feature", LEFT, "{" + TOKEN + ",\"features\":[1]}"),
                payload("a string for the features", LEFT, "{" + TOKEN + ",\"features\":\"batch\"}"),
                payload("a trailing comma", LEFT, "{" + TOKEN + ",}"),
                payload("a trailing comma in the features", LEFT, "{" + TOKEN + ",\"features\":[\"a\",]}"),
                payload("trailing tokens", LEFT, "{" + TOKEN + "} {}"),
                payload("an array", LEFT, "[" + TOKEN + "]"),
                payload("not JSON", LEFT, "hello"),
                payload("empty", LEFT, ""),
                payload("a byte-order mark", LEFT, "\ufeff{" + TOKEN + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void readsWhatTheControlMapperReadsOrLeavesItToIt(String what, boolean decided, byte[] payload) {
        Optional<Messages.Hello> read = HelloReader.read(payload);
        assertThat(read.isPresent()).as("decided").isEqualTo(decided);
        if (decided) {
            assertThat(read).contains(decodedByTheMapper(payload));
        }
    }

    @Test
    void leavesAPayloadLongerThanItsLimitToTheMapper() {
        String runtime = "r".repeat(HelloReader.MAX_LENGTH);
        byte[] payload = ("{" + TOKEN + ",\"runtime\":\"" + runtime + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(HelloReader.read(payload)).isEmpty();
    }

    /** Every hello the encoders write, with random tokens of every kind of character, reads back as the mapper reads it. */
    @Test
    void readsWhatTheEncoderWritesAsTheMapperDoes() {
        String[] pieces = {"a", "Z", "0", " ", "\"", "\\", "/", "\u0000", "\u001f", "\b", "\t", "\n", "\f", "\r", "\u007f",
            "\u0080", "\u00e9", "\u07ff", "\u0800", "\u4e2d", "\ufffd", "\uffff", "\ud83d\ude00", "\udbff\udfff",
            "\ud800", "\udfff"};
        Random random = new Random(0x48656c6c6fL);
        int decided = 0;
        for (int i = 0; i < 2_000; i++) {
            StringBuilder token = new StringBuilder();
            int length = random.nextInt(64);
            while (token.length() < length) {
                token.append(pieces[random.nextInt(pieces.length)]);
            }
            Messages.Hello hello = new Messages.Hello(1, random.nextLong(), token.toString(), "java 17",
                    random.nextBoolean() ? List.of() : List.of("batch", "ping"));
            byte[] payload = HelloEncoder.encode(hello);
            Optional<Messages.Hello> read = HelloReader.read(payload);
            if (read.isPresent()) {
                decided++;
                assertThat(read.get()).as("token %s", token).isEqualTo(decodedByTheMapper(payload));
            }
        }
        assertThat(decided).as("hellos decided without the mapper").isGreaterThan(1_000);
    }

    private static Messages.Hello decodedByTheMapper(byte[] payload) {
        try {
            return Messages.decode(payload, Messages.Hello.class);
        } catch (ProtocolException e) {
            throw new AssertionError("the mapper refused what the reader decided: " + e.getMessage(), e);
        }
    }

    @Test
    void theMapperStillRefusesWhatTheReaderLeaves() {
        assertThatThrownBy(() -> Messages.decode("{\"protocolVersion\":1,\"pid\":1}".getBytes(StandardCharsets.UTF_8),
                Messages.Hello.class)).isInstanceOf(ProtocolException.class);
    }
}
