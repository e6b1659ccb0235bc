package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.internal.worker.WorkerLoop;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Jackson-free HELLO writer writes the bytes the control mapper writes, for any hello. */
class HelloEncoderTest {

    static Stream<Messages.Hello> hellos() {
        return Stream.of(
                WorkerLoop.hello("9f86d081884c7d659a2feaa0c55ad015"),
                new Messages.Hello(1, 4242, "9f86d081884c7d659a2feaa0c55ad015", "java 17.0.15"),
                new Messages.Hello(1, 4242, "9f86d081884c7d659a2feaa0c55ad015", "java 17.0.15", List.of("batch", "ping")),
                new Messages.Hello(1, 1, "t", "r", List.of("batch")),
                new Messages.Hello(-7, Long.MIN_VALUE, "", null, List.of("", "x\"y")),
                new Messages.Hello(Integer.MAX_VALUE, Long.MAX_VALUE, "t", "python 3.11.7", null),
                new Messages.Hello(1, 0, "\u0000\u0001\u0008\u0009\n\u000b\u000c\r\u001f \"\\/\u007f\u0080\u00e9\u2028\uffff",
                        "\ud83d\ude00 \ud800 \udc00 \udc00\ud800 \ud800\ud800\ude00 end\ud83d", List.of("\ud800", "\ud83d\ude00")));
    }

    @ParameterizedTest
    @MethodSource("hellos")
    void writesWhatTheControlMapperWrites(Messages.Hello hello) {
        assertThat(HexFormat.of().formatHex(HelloEncoder.encode(hello)))
                .isEqualTo(HexFormat.of().formatHex(Messages.encode(hello)));
    }

    /** Random tokens of every kind of character, up to longer than any bootstrap line can carry. */
    @Test
    void writesWhatTheControlMapperWritesForRandomTokens() {
        String[] pieces = {"a", "Z", "0", " ", "\"", "\\", "/", "\u0000", "\u001f", "\b", "\t", "\n", "\f", "\r", "\u007f",
            "\u0080", "\u00e9", "\u07ff", "\u0800", "\u4e2d", "\ufffd", "\uffff", "\ud83d\ude00", "\udbff\udfff",
            "\ud800", "\udfff"};
        Random random = new Random(0x466f726b506f6f6cL);
        for (int i = 0; i < 2_000; i++) {
            int length = i % 100 == 0 ? 20_000 + random.nextInt(5_000) : random.nextInt(64);
            StringBuilder token = new StringBuilder();
            while (token.length() < length) {
                token.append(pieces[random.nextInt(pieces.length)]);
            }
            Messages.Hello hello = new Messages.Hello(1, random.nextLong(), token.toString(), "java 17",
                    random.nextBoolean() ? List.of() : List.of("batch", "ping"));
            assertThat(HelloEncoder.encode(hello)).as("token %s", token).isEqualTo(Messages.encode(hello));
        }
    }
}
