package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.internal.protocol.WorkerExitCodes;
import io.forkpool.spi.TaskAllowList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden cases a worker must refuse, under {@code src/test/resources/golden-violations}: every
 * {@code .hex} file holds frames a supervisor might send after the hello, each a violation the
 * Java worker must answer with exit 66; {@code bootstrap-refused.txt} holds bootstrap lines it
 * must refuse (exit 64). Written by hand from PROTOCOL.md, like the golden frames, for workers in
 * any language to test themselves against.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GoldenViolationsTest {

    private static final int MAX = 1 << 20;

    private static Path directory() throws URISyntaxException {
        return Path.of(GoldenViolationsTest.class.getResource("/golden-violations").toURI());
    }

    static Stream<String> frameFiles() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".hex")).sorted().toList().stream();
        }
    }

    private static byte[] hex(Path file) throws IOException {
        StringBuilder hex = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            int comment = line.indexOf('#');
            hex.append((comment < 0 ? line : line.substring(0, comment)).replaceAll("\\s", ""));
        }
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void everyKindOfViolationHasItsCase() throws Exception {
        assertThat(frameFiles().toList()).containsExactly("flags-nonzero.hex", "length-top-bit.hex",
                "result-to-worker.hex", "task-attempt-101.hex", "task-attempt-zero.hex", "task-name-length-zero.hex",
                "task-name-too-long-for-payload.hex", "task-no-attempt.hex", "truncated-payload.hex",
                "type-unknown.hex");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frameFiles")
    void theWorkerExitsWith66AndAnswersNothing(String file) throws Exception {
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        WorkerLoop loop = new WorkerLoop(Channels.newChannel(new ByteArrayInputStream(hex(directory().resolve(file)))),
                Channels.newChannel(replies), 3, MAX, getClass().getClassLoader(), TaskAllowList.of(List.of("*")));
        assertThat(loop.run(WorkerLoop.hello("t"))).isEqualTo(WorkerExitCodes.PROTOCOL_ERROR);
        byte[] written = replies.toByteArray();
        int helloLength = 14 + ((written[0] & 0xFF) << 24 | (written[1] & 0xFF) << 16 | (written[2] & 0xFF) << 8
                | (written[3] & 0xFF));
        assertThat(written.length).as("nothing but the hello").isEqualTo(helloLength);
    }

    @Test
    void everyRefusedBootstrapLineIsRefused() throws Exception {
        List<String> lines = Files.readAllLines(directory().resolve("bootstrap-refused.txt"), StandardCharsets.UTF_8)
                .stream().filter(l -> !l.startsWith("#")).toList();
        assertThat(lines).hasSize(20);
        for (String line : lines) {
            assertThatThrownBy(() -> Lifeline.readBootstrap(
                    new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8))))
                    .as(line).isInstanceOf(IOException.class);
        }
    }
}
