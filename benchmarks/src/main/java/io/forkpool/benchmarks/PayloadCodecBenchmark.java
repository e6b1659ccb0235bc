package io.forkpool.benchmarks;

import io.forkpool.examples.Range;
import io.forkpool.internal.protocol.Messages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.cbor.CBORFactory;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.smile.SmileFactory;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * Whether a binary payload format would pay: the cost of encoding and decoding typical task
 * inputs and outputs with the protocol's JSON data mapper ({@link Messages#newDataMapper}) against
 * Jackson 3's Smile and CBOR, configured the same way (the same read limits, nesting limit on
 * write, unknown properties and trailing tokens rejected). This measures only; the protocol stays
 * JSON (docs/PROTOCOL.md section 5), and workers in other languages would have to keep speaking it.
 *
 * <ul>
 *   <li>{@code encode}: {@code writerFor(declaredType).writeValueAsBytes(value)}, as the supervisor
 *       encodes an input and the worker an output.</li>
 *   <li>{@code decode}: {@code readerFor(declaredType).readValue(bytes)}, the other side.</li>
 * </ul>
 * Payloads ({@code payload}): {@code integer} (the {@code Integer} 42, the no-op round trip's
 * kind of data), {@code range} (the demo's {@link Range}, a record of two longs), {@code longs1000}
 * (a {@code List<Long>} of 1,000 seeded random values below 10<sup>12</sup>), {@code string10k}
 * (10,240 characters of ASCII prose with a few quotes and newlines that JSON must escape) and
 * {@code nested} (a {@link Job} record: strings, an enum, a list, a map and two nested records).
 * The encoded size of each payload in each format is printed at setup; {@link #main} prints them
 * all without running JMH.
 *
 * <p>What to expect: tens to a few hundred nanoseconds for the small payloads in every format,
 * where the per-call overhead (reader/writer and parser/generator set-up, buffer recycling)
 * dominates, so the formats should be close; binary formats gain most where JSON must format and
 * parse numbers as text ({@code longs1000}) and little on long strings, which every format copies
 * as UTF-8. A round trip through the pool costs tens of microseconds
 * ({@link PoolRoundTripBenchmark}), so a format change matters only where the difference is of
 * that order.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -pl benchmarks -am -DskipTests package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PayloadCodecBenchmark -rf json -rff /tmp/jmh-payload.json
 * java -cp benchmarks/target/benchmarks.jar io.forkpool.benchmarks.PayloadCodecBenchmark   # sizes only
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class PayloadCodecBenchmark {

    /** The pool's default frame cap, which the data mapper uses as its string and document limit. */
    static final int MAX_FRAME_LENGTH = 64 * 1024 * 1024;

    /** How urgent a {@link Job} is; an enum, because task inputs have them. */
    public enum Priority {
        /** Can wait. */
        LOW,
        /** The usual. */
        NORMAL,
        /** Goes first. */
        HIGH
    }

    /**
     * A task input with some nesting: what a real task's request might look like.
     *
     * @param id a request id
     * @param priority its priority
     * @param range the numbers to work on
     * @param tags free labels
     * @param weights named factors
     * @param limits its resource limits
     */
    public record Job(String id, Priority priority, Range range, List<String> tags, Map<String, Double> weights,
            Limits limits) {
    }

    /**
     * The nested part of a {@link Job}.
     *
     * @param timeoutMillis how long it may run
     * @param maxMemoryBytes how much memory it may use
     * @param retry whether it may be retried
     */
    public record Limits(long timeoutMillis, long maxMemoryBytes, boolean retry) {
    }

    /** One format's mapper and one payload's value, reader and writer. */
    @State(Scope.Thread)
    public static class Codec {

        @Param({"json", "smile", "cbor"})
        String format;

        @Param({"integer", "range", "longs1000", "string10k", "nested"})
        String payload;

        Object value;
        ObjectWriter writer;
        ObjectReader reader;
        byte[] encoded;

        /** Builds the mapper, encodes the value once, checks that it decodes back equal, prints its size. */
        @Setup(Level.Trial)
        public void prepare() {
            ObjectMapper mapper = mapper(format);
            Sample sample = sample(payload, mapper);
            value = sample.value;
            writer = mapper.writerFor(sample.type);
            reader = mapper.readerFor(sample.type);
            encoded = writer.writeValueAsBytes(value);
            Object back = reader.readValue(encoded);
            if (!Objects.equals(back, value)) {
                throw new IllegalStateException(format + " did not round-trip " + payload);
            }
            System.out.printf("%n[size] format=%s payload=%s: %d bytes%n", format, payload, encoded.length);
        }
    }

    /**
     * Encodes the value as its declared type.
     *
     * @param codec the format and value
     * @return the bytes, consumed by JMH
     */
    @Benchmark
    public byte[] encode(Codec codec) {
        return codec.writer.writeValueAsBytes(codec.value);
    }

    /**
     * Decodes the encoded bytes as the declared type.
     *
     * @param codec the format and bytes
     * @return the value, consumed by JMH
     */
    @Benchmark
    public Object decode(Codec codec) {
        return codec.reader.readValue(codec.encoded);
    }

    /**
     * The mapper of one format. JSON is the protocol's own data mapper; Smile and CBOR copy its
     * settings (see {@link Messages#newDataMapper}): the same read constraints and write nesting
     * limit on the factory, unknown properties and trailing tokens rejected. Everything else keeps
     * the format's defaults (Smile writes its 4-byte header and back-references repeated property
     * names; CBOR writes no tag), since that is what a switch would most likely ship.
     *
     * @param format {@code json}, {@code smile} or {@code cbor}
     * @return the mapper
     */
    static ObjectMapper mapper(String format) {
        StreamReadConstraints read = StreamReadConstraints.builder()
                .maxNestingDepth(Messages.MAX_NESTING_DEPTH)
                .maxStringLength(MAX_FRAME_LENGTH)
                .maxDocumentLength(MAX_FRAME_LENGTH)
                .build();
        StreamWriteConstraints write = StreamWriteConstraints.builder().maxNestingDepth(Messages.MAX_NESTING_DEPTH).build();
        return switch (format) {
            case "json" -> Messages.newDataMapper(MAX_FRAME_LENGTH);
            case "smile" -> SmileMapper.builder(SmileFactory.builder()
                            .streamReadConstraints(read).streamWriteConstraints(write).build())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();
            case "cbor" -> CBORMapper.builder(CBORFactory.builder()
                            .streamReadConstraints(read).streamWriteConstraints(write).build())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
    }

    /** A payload and the type it is declared as, as a task's {@code Task<I, O>} would declare it. */
    record Sample(Object value, JavaType type) {
    }

    static Sample sample(String payload, ObjectMapper mapper) {
        return switch (payload) {
            case "integer" -> new Sample(42, mapper.constructType(Integer.class));
            case "range" -> new Sample(new Range(1_900_000, 2_000_000), mapper.constructType(Range.class));
            case "longs1000" -> {
                // Seeded, so every format and every run encodes the very same numbers; below 10^12,
                // i.e. 12 or so digits in JSON and a 9-byte integer in CBOR.
                SplittableRandom random = new SplittableRandom(20261127);
                List<Long> longs = new ArrayList<>(1000);
                for (int i = 0; i < 1000; i++) {
                    longs.add(random.nextLong(1_000_000_000_000L));
                }
                yield new Sample(longs, mapper.constructType(new TypeReference<List<Long>>() { }));
            }
            case "string10k" -> new Sample(prose(10 * 1024), mapper.constructType(String.class));
            case "nested" -> {
                Map<String, Double> weights = new LinkedHashMap<>();
                weights.put("cpu", 0.75);
                weights.put("io", 0.125);
                weights.put("memory", 1.5);
                Job job = new Job("job-2026-11-27-000123", Priority.HIGH, new Range(0, 100_000),
                        List.of("primes", "batch", "nightly"), weights,
                        new Limits(30_000, 256L * 1024 * 1024, true));
                yield new Sample(job, mapper.constructType(Job.class));
            }
            default -> throw new IllegalArgumentException("unknown payload " + payload);
        };
    }

    /** Deterministic ASCII text: words, spaces, some quotes and newlines (which JSON escapes). */
    static String prose(int length) {
        String[] words = {"the", "worker", "reads", "a", "frame", "and", "runs", "\"quoted\"", "task", "on", "its",
                "own", "heap,", "then", "replies."};
        StringBuilder text = new StringBuilder(length + 16);
        for (int i = 0; text.length() < length; i++) {
            text.append(words[(i * 7 + i / 3) % words.length]).append(i % 17 == 16 ? '\n' : ' ');
        }
        text.setLength(length);
        return text.toString();
    }

    /**
     * Prints the encoded size of every payload in every format, and whether each format's mapper
     * rejects what the JSON data mapper rejects (an unknown property, a second document), without
     * running JMH.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String[] formats = {"json", "smile", "cbor"};
        String[] payloads = {"integer", "range", "longs1000", "string10k", "nested"};
        System.out.printf("%-10s %8s %8s %8s%n", "bytes", "json", "smile", "cbor");
        for (String payload : payloads) {
            System.out.printf("%-10s", payload);
            for (String format : formats) {
                ObjectMapper mapper = mapper(format);
                Sample sample = sample(payload, mapper);
                System.out.printf(" %8d", mapper.writerFor(sample.type).writeValueAsBytes(sample.value).length);
            }
            System.out.println();
        }
        for (String format : formats) {
            ObjectMapper mapper = mapper(format);
            Map<String, Object> withClass = new LinkedHashMap<>();
            withClass.put("@class", "java.lang.Runtime");
            withClass.put("from", 0);
            withClass.put("to", 100);
            // Two whole encodings back to back. Smile 3.3 reads a header after the first value as
            // the end of input, so it accepts this and drops the second document, despite
            // FAIL_ON_TRAILING_TOKENS (a second value without a header it does reject): one
            // strictness the JSON mapper has that a switch to Smile would lose.
            byte[] one = mapper.writeValueAsBytes(new Range(0, 100));
            byte[] two = new byte[2 * one.length];
            System.arraycopy(one, 0, two, 0, one.length);
            System.arraycopy(one, 0, two, one.length, one.length);
            System.out.printf("%-5s rejects an unknown property: %s; a second document: %s%n", format,
                    rejects(mapper, mapper.writeValueAsBytes(withClass)), rejects(mapper, two));
        }
    }

    private static boolean rejects(ObjectMapper mapper, byte[] bytes) {
        try {
            mapper.readValue(bytes, Range.class);
            return false;
        } catch (JacksonException e) {
            return true;
        }
    }
}
