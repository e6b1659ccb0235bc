package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.internal.worker.Lifeline;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the wire format: one golden file per message type under {@code src/test/resources/golden},
 * each holding the exact bytes of one frame as hex (whitespace and {@code #} comments ignored).
 * Encoding must produce those bytes and decoding them must give back the message, so the format
 * cannot drift without a test failing. docs/PROTOCOL.md quotes the same examples.
 */
class GoldenFramesTest {

    /** The real example task: golden files name it, so a worker that runs it can answer them. */
    private static final String EXAMPLE = "io.forkpool.examples.CountPrimes";
    private static final Messages.TaskFailure BATCH_FAILURE_WHOLE = new Messages.TaskFailure(
            "forkpool.TaskNotAllowed", "com.example.Evil is not in the pool's task allow-list [io.forkpool.examples.*]",
            "", 0);
    private static final Messages.TaskFailure BATCH_CANCELLED = new Messages.TaskFailure(
            "java.util.concurrent.CancellationException", "batch 13 was cancelled while input 2 ran", "", 2);
    private static final long BIG_ID = 0x0000_0102_0304_0506L; // above 2^32: catches a u32 or unsigned codec
    private static final String UNICODE_TASK = "com.example.\u00dcn\u00efcode$Inner";
    private static final Messages.TaskFailure PYTHON_FAILURE = new Messages.TaskFailure("ValueError", null,
            "Traceback (most recent call last):\n  File \"t\u00e2che.py\", line 1, in run\nValueError\n");

    private static final Messages.Hello HELLO_WITH_FEATURES = new Messages.Hello(1, 4242,
            "9f86d081884c7d659a2feaa0c55ad015", "java 17.0.15", List.of("batch", "ping"));
    /**
     * A batch's encoded inputs as the supervisor holds them, one JSON array; the frame sends
     * inputs 1..3 of them: the writer must honour the range.
     */
    private static final byte[] BATCH_INPUTS = ("[\"not sent\",{\"from\":0,\"to\":10},{\"from\":10,\"to\":20},"
            + "{\"from\":20,\"to\":30},\"not sent either\"]").getBytes(StandardCharsets.UTF_8);
    private static final int BATCH_FROM = indexOf(BATCH_INPUTS, "{\"from\":0,");
    private static final int BATCH_TO = indexOf(BATCH_INPUTS, ",\"not sent either\"");
    private static final Messages.TaskFailure BATCH_FAILURE = new Messages.TaskFailure(
            "java.lang.IllegalArgumentException", "to < from", "", 1);

    /** A golden frame: its file, and how to encode the message it holds. */
    private interface Encoder {
        void encode(FrameWriter writer) throws IOException;
    }

    static Stream<Arguments> frames() {
        return Stream.of(
                Arguments.of("hello", (Encoder) w -> w.append(FrameType.HELLO, 0,
                        Messages.encode(new Messages.Hello(1, 4242, "9f86d081884c7d659a2feaa0c55ad015",
                                "java 17.0.15")))),
                Arguments.of("task", (Encoder) w -> w.appendTask(7, TaskRequest.encodeName(EXAMPLE), 1,
                        "{\"from\":0,\"to\":100}".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("result", (Encoder) w -> w.append(FrameType.RESULT, 7, "25".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("failure", (Encoder) w -> w.append(FrameType.FAILURE, 8, Messages.encode(
                        new Messages.TaskFailure("java.lang.IllegalStateException", "bad input",
                                "java.lang.IllegalStateException: bad input\n\tat com.example.Task.execute(Task.java:9)\n")))),
                Arguments.of("task-retry", (Encoder) w -> w.appendTask(BIG_ID, TaskRequest.encodeName(UNICODE_TASK), 3,
                        "null".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("failure-null-message", (Encoder) w -> w.append(FrameType.FAILURE, BIG_ID,
                        Messages.encode(PYTHON_FAILURE))),
                Arguments.of("cancel", (Encoder) w -> w.append(FrameType.CANCEL, 9, Frame.EMPTY)),
                Arguments.of("shutdown", (Encoder) w -> w.append(FrameType.SHUTDOWN, 0, Frame.EMPTY)),
                Arguments.of("status", (Encoder) w -> w.append(FrameType.STATUS, 0,
                        Messages.encode(new Messages.Status(12_345_678, 268_435_456)))),
                Arguments.of("hello-features", (Encoder) w -> w.append(FrameType.HELLO, 0,
                        Messages.encode(HELLO_WITH_FEATURES))),
                Arguments.of("batch", (Encoder) w -> w.appendBatch(10, TaskRequest.encodeName(EXAMPLE), 1,
                        BATCH_INPUTS, BATCH_FROM, BATCH_TO - BATCH_FROM, 3)),
                Arguments.of("batch-result", (Encoder) w -> w.append(FrameType.RESULT, 10,
                        "[4,4,2]".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("batch-failure", (Encoder) w -> w.append(FrameType.FAILURE, 11,
                        Messages.encode(BATCH_FAILURE))),
                Arguments.of("batch-failure-whole", (Encoder) w -> w.append(FrameType.FAILURE, 12,
                        Messages.encode(BATCH_FAILURE_WHOLE))),
                Arguments.of("batch-cancelled", (Encoder) w -> w.append(FrameType.FAILURE, 13,
                        Messages.encode(BATCH_CANCELLED))),
                Arguments.of("ping", (Encoder) w -> w.append(FrameType.PING, BIG_ID, Frame.EMPTY)),
                Arguments.of("pong", (Encoder) w -> w.append(FrameType.PONG, BIG_ID, Frame.EMPTY)));
    }

    @Test
    void everyGoldenFileHasItsCase() throws Exception {
        List<String> cases = new java.util.ArrayList<>(frames().map(a -> a.get()[0] + ".hex").toList());
        cases.add("bootstrap.json");
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(
                java.nio.file.Path.of(GoldenFramesTest.class.getResource("/golden").toURI()))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrderElementsOf(cases);
        }
    }

    private static int indexOf(byte[] bytes, String part) {
        return new String(bytes, StandardCharsets.ISO_8859_1).indexOf(part); // ASCII: a char per byte
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = GoldenFramesTest.class.getResourceAsStream("/golden/" + name + ".hex")) {
            assertThat(in).as("golden file " + name + ".hex").isNotNull();
            StringBuilder hex = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                int comment = line.indexOf('#');
                hex.append((comment < 0 ? line : line.substring(0, comment)).replaceAll("\\s", ""));
            }
            return HexFormat.of().parseHex(hex);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void encodingProducesTheGoldenBytes(String name, Encoder encoder) throws IOException {
        assertThat(HexFormat.of().formatHex(encode(encoder))).isEqualTo(HexFormat.of().formatHex(golden(name)));
    }

    @Test
    void theBootstrapLineIsEncodedAndReadExactlyAsTheGoldenLine() throws IOException {
        Messages.Bootstrap bootstrap = new Messages.Bootstrap(1, "/tmp/forkpool-123/w0-1.sock",
                "9f86d081884c7d659a2feaa0c55ad015", 0, 67_108_864, 4242, 1_795_806_000_123L, List.of("*"));
        byte[] golden;
        try (InputStream in = GoldenFramesTest.class.getResourceAsStream("/golden/bootstrap.json")) {
            golden = in.readAllBytes();
        }
        byte[] line = (new String(Messages.encode(bootstrap), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(new String(golden, StandardCharsets.UTF_8));
        assertThat(Lifeline.readBootstrap(new ByteArrayInputStream(golden))).isEqualTo(bootstrap);
        assertThat(new String(BootstrapLine.encode(bootstrap), StandardCharsets.UTF_8))
                .as("the supervisor's Jackson-free writer").isEqualTo(new String(golden, StandardCharsets.UTF_8));
    }

    @Test
    void theJacksonFreeBootstrapWriterEscapesLikeJsonAndReadsBack() throws IOException {
        Messages.Bootstrap awkward = new Messages.Bootstrap(1, "/tmp/a \"quoted\" \\ path\n\t\u0001\u00e9\u4e2d.sock",
                "t", 7, 1 << 20, 1, 2, List.of("com.\u00e9xample.*", "*"));
        byte[] line = BootstrapLine.encode(awkward);
        assertThat(Lifeline.readBootstrap(new ByteArrayInputStream(line))).isEqualTo(awkward);
        assertThat(new String(line, StandardCharsets.UTF_8))
                .isEqualTo(new String(Messages.encode(awkward), StandardCharsets.UTF_8) + "\n");
    }

    private static byte[] encode(Encoder encoder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(bytes), 1 << 20);
        encoder.encode(writer);
        writer.flush();
        return bytes.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void decodingTheGoldenBytesGivesBackTheFrame(String name, Encoder encoder) throws IOException {
        Frame reference = new FrameReader(Channels.newChannel(new ByteArrayInputStream(encode(encoder))), 1 << 20)
                .read();

        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(golden(name))), 1 << 20);
        Frame frame = reader.read();
        assertThat(frame.type()).isEqualTo(reference.type());
        assertThat(frame.correlationId()).isEqualTo(reference.correlationId());
        assertThat(frame.payload()).isEqualTo(reference.payload());
        assertThat(reader.read()).as("exactly one frame").isNull();
        switch (name) {
            case "hello" -> {
                Messages.Hello hello = Messages.decode(frame.payload(), Messages.Hello.class);
                assertThat(hello).isEqualTo(new Messages.Hello(1, 4242, "9f86d081884c7d659a2feaa0c55ad015", "java 17.0.15"));
                assertThat(hello.acceptsBatches()).as("a hello without features").isFalse();
                assertThat(hello.answersPings()).as("a hello without features").isFalse();
            }
            case "task" -> assertThat(TaskRequest.parse(frame.payload()))
                    .isEqualTo(new TaskRequest(EXAMPLE, 1, 35));
            case "task-retry" -> assertThat(TaskRequest.parse(frame.payload()))
                    .isEqualTo(new TaskRequest(UNICODE_TASK, 3, 30));
            case "failure-null-message" -> assertThat(Messages.decode(frame.payload(), Messages.TaskFailure.class))
                    .isEqualTo(PYTHON_FAILURE);
            case "status" -> assertThat(Messages.decode(frame.payload(), Messages.Status.class))
                    .isEqualTo(new Messages.Status(12_345_678, 268_435_456));
            case "hello-features" -> {
                Messages.Hello hello = Messages.decode(frame.payload(), Messages.Hello.class);
                assertThat(hello).isEqualTo(HELLO_WITH_FEATURES);
                assertThat(hello.acceptsBatches()).isTrue();
                assertThat(hello.answersPings()).isTrue();
            }
            case "batch" -> {
                assertThat(frame.type()).isEqualTo(FrameType.BATCH);
                assertThat(TaskRequest.parse(frame.payload())).isEqualTo(new TaskRequest(EXAMPLE, 1, 35));
            }
            case "batch-failure" -> assertThat(Messages.decode(frame.payload(), Messages.TaskFailure.class))
                    .isEqualTo(BATCH_FAILURE);
            case "batch-failure-whole" -> assertThat(Messages.decode(frame.payload(), Messages.TaskFailure.class))
                    .isEqualTo(BATCH_FAILURE_WHOLE);
            case "batch-cancelled" -> assertThat(Messages.decode(frame.payload(), Messages.TaskFailure.class))
                    .isEqualTo(BATCH_CANCELLED);
            case "ping", "pong" -> {
                assertThat(FrameType.name(frame.type())).isEqualTo(name.toUpperCase(java.util.Locale.ROOT));
                assertThat(frame.correlationId()).as("a probe number above 2^32").isEqualTo(BIG_ID);
                assertThat(frame.payload()).isEmpty();
            }
            default -> { }
        }
    }
}
