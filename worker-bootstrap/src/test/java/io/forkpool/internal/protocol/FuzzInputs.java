package io.forkpool.internal.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Generators for the fuzz properties: valid frame streams (encoded by the production
 * {@link FrameWriter}), mutations of them, random bytes, chunk plans, TASK payloads and JSON
 * control messages with JSON-aware mutations. Every generator takes the case's
 * {@link SplittableRandom} and nothing else that varies, so a case is reproducible from its seed.
 * Mutators append a short description of what they did to a log, shown when a case fails.
 */
final class FuzzInputs {

    static final int[] KNOWN_TYPES = {FrameType.HELLO, FrameType.TASK, FrameType.RESULT, FrameType.FAILURE,
            FrameType.CANCEL, FrameType.SHUTDOWN, FrameType.STATUS};

    private static final long[] INTERESTING_IDS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFFFFFFL, 1L << 32};

    private static final byte[] INTERESTING_BYTES = {0x00, (byte) 0xFF, 0x7F, (byte) 0x80, 0x01, 0x0A, '"', '{'};

    private FuzzInputs() {
    }

    /** A valid encoded stream and where each of its frames starts. */
    record Stream(List<Frame> frames, byte[] bytes, int[] frameOffsets) {
    }

    // ---- sizes and bytes --------------------------------------------------------------------

    /** A size skewed towards small values: most inputs are tiny, a few reach {@code max}. */
    static int size(SplittableRandom r, int max) {
        int bound = switch (r.nextInt(20)) {
            case 0, 1, 2, 3 -> 4;
            case 4, 5, 6, 7, 8, 9, 10, 11 -> 64;
            case 12, 13, 14, 15, 16, 17, 18 -> 1024;
            default -> max;
        };
        return r.nextInt(Math.min(bound, max) + 1);
    }

    static byte[] randomBytes(SplittableRandom r, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) r.nextInt(256);
        }
        return bytes;
    }

    /**
     * Splits {@code total} bytes into chunks of 1..{@code maxChunk} bytes.
     *
     * @return the chunk sizes, summing to {@code total}
     */
    static int[] chunks(SplittableRandom r, int total, int maxChunk) {
        int[] sizes = new int[Math.max(total, 1)];
        int count = 0;
        for (int left = total; left > 0; ) {
            int n = Math.min(left, 1 + r.nextInt(maxChunk));
            sizes[count++] = n;
            left -= n;
        }
        return Arrays.copyOf(sizes, count);
    }

    // ---- frames -----------------------------------------------------------------------------

    /** A frame of a random (mostly known, sometimes unknown) type with a payload up to {@code maxPayload}. */
    static Frame randomFrame(SplittableRandom r, int maxPayload) {
        int type = r.nextInt(8) == 0 ? r.nextInt(256) : KNOWN_TYPES[r.nextInt(KNOWN_TYPES.length)];
        long id = r.nextBoolean() ? INTERESTING_IDS[r.nextInt(INTERESTING_IDS.length)] : r.nextLong();
        int length = r.nextInt(50) == 0 ? maxPayload - r.nextInt(Math.min(2, maxPayload + 1)) : size(r, maxPayload);
        byte[] payload = length == 0 ? Frame.EMPTY : switch (r.nextInt(3)) {
            case 0 -> randomBytes(r, length);
            case 1 -> jsonish(r, length);
            default -> {
                byte[] bytes = new byte[length];
                Arrays.fill(bytes, (byte) r.nextInt(256));
                yield bytes;
            }
        };
        return new Frame(type, id, payload);
    }

    /** A valid stream of 0..{@code maxFrames} frames, each payload at most {@code maxPayload}. */
    static Stream validStream(SplittableRandom r, int maxFrames, int maxPayload) {
        int count = r.nextInt(maxFrames + 1);
        List<Frame> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(randomFrame(r, maxPayload));
        }
        return encode(frames, maxPayload);
    }

    /** Encodes frames with the production {@link FrameWriter}. */
    static Stream encode(List<Frame> frames, int maxFrameLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(out), maxFrameLength);
        int[] offsets = new int[frames.size()];
        int offset = 0;
        try {
            for (int i = 0; i < frames.size(); i++) {
                Frame frame = frames.get(i);
                offsets[i] = offset;
                offset += FrameDecoder.HEADER_LENGTH + frame.payload().length;
                writer.append(frame.type(), frame.correlationId(), frame.payload());
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Stream(List.copyOf(frames), out.toByteArray(), offsets);
    }

    /** A 14-byte header, for hostile-length cases. */
    static byte[] header(int length, int type, int flags, long id) {
        return ByteBuffer.allocate(FrameDecoder.HEADER_LENGTH).putInt(length).put((byte) type).put((byte) flags)
                .putLong(id).array();
    }

    // ---- mutations of frame streams ----------------------------------------------------------

    /**
     * Applies 1–4 mutations to a valid stream: first (maybe) some aimed at a frame header — the
     * length field, the flags, the type — then byte-level ones anywhere.
     *
     * @param cap the decoder's maxFrameLength, so length mutations can straddle it
     * @param log receives a description of each mutation
     */
    static byte[] mutate(SplittableRandom r, Stream stream, int cap, StringBuilder log) {
        byte[] bytes = stream.bytes().clone();
        int headerMutations = stream.frameOffsets().length == 0 ? 0 : r.nextInt(3);
        for (int i = 0; i < headerMutations; i++) {
            int at = stream.frameOffsets()[r.nextInt(stream.frameOffsets().length)];
            mutateHeader(r, bytes, at, cap, log);
        }
        int byteMutations = (headerMutations == 0 ? 1 : 0) + r.nextInt(headerMutations == 0 ? 4 : 2);
        for (int i = 0; i < byteMutations; i++) {
            bytes = mutateBytes(r, bytes, log);
        }
        return bytes;
    }

    private static void mutateHeader(SplittableRandom r, byte[] bytes, int at, int cap, StringBuilder log) {
        switch (r.nextInt(4)) {
            case 0, 1 -> {
                int old = FrameDecoder.readInt(bytes, at);
                int length = switch (r.nextInt(12)) {
                    case 0 -> r.nextInt();
                    case 1 -> 0x7FFFFFFF;
                    case 2 -> 0x80000000;
                    case 3 -> 0xFFFFFFFF;
                    case 4 -> cap;
                    case 5 -> cap + 1;
                    case 6 -> 0;
                    case 7 -> old + 1;
                    case 8 -> old - 1;
                    case 9 -> Integer.MIN_VALUE + r.nextInt(1 << 20);
                    case 10 -> cap + 1 + r.nextInt(Integer.MAX_VALUE - cap);
                    default -> r.nextInt(2 * cap + 1);
                };
                ByteBuffer.wrap(bytes).putInt(at, length);
                log.append("length@").append(at).append('=').append(Integer.toUnsignedString(length)).append("; ");
            }
            case 2 -> {
                int flags = 1 + r.nextInt(255);
                bytes[at + 5] = (byte) flags;
                log.append("flags@").append(at).append("=0x").append(Integer.toHexString(flags)).append("; ");
            }
            default -> {
                int type = r.nextInt(256);
                bytes[at + 4] = (byte) type;
                log.append("type@").append(at).append("=0x").append(Integer.toHexString(type)).append("; ");
            }
        }
    }

    /**
     * One byte-level mutation: flip, replace, truncate, insert, duplicate a slice, delete a slice.
     * Flips and replacements change {@code bytes} in place; the others return a new array.
     */
    static byte[] mutateBytes(SplittableRandom r, byte[] bytes, StringBuilder log) {
        int op = bytes.length == 0 ? 3 : r.nextInt(6);
        switch (op) {
            case 0 -> {
                int at = r.nextInt(bytes.length);
                int bit = r.nextInt(8);
                bytes[at] ^= (byte) (1 << bit);
                log.append("flip@").append(at).append('.').append(bit).append("; ");
                return bytes;
            }
            case 1 -> {
                int at = r.nextInt(bytes.length);
                bytes[at] = r.nextBoolean() ? INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)] : (byte) r.nextInt(256);
                log.append("set@").append(at).append("=0x").append(Integer.toHexString(bytes[at] & 0xFF)).append("; ");
                return bytes;
            }
            case 2 -> {
                int keep = r.nextInt(bytes.length);
                log.append("truncate to ").append(keep).append("; ");
                return Arrays.copyOf(bytes, keep);
            }
            case 3 -> {
                int at = r.nextInt(bytes.length + 1);
                byte[] inserted = randomBytes(r, 1 + r.nextInt(16));
                log.append("insert ").append(inserted.length).append(" bytes @").append(at).append("; ");
                return splice(bytes, at, 0, inserted);
            }
            case 4 -> {
                int from = r.nextInt(bytes.length);
                int length = 1 + r.nextInt(Math.min(bytes.length - from, 64));
                int at = r.nextInt(bytes.length + 1);
                log.append("duplicate [").append(from).append(',').append(from + length).append(") @").append(at).append("; ");
                return splice(bytes, at, 0, Arrays.copyOfRange(bytes, from, from + length));
            }
            default -> {
                int from = r.nextInt(bytes.length);
                int length = 1 + r.nextInt(Math.min(bytes.length - from, 64));
                log.append("delete [").append(from).append(',').append(from + length).append("); ");
                return splice(bytes, from, length, new byte[0]);
            }
        }
    }

    /** @return {@code bytes} with {@code removed} bytes at {@code at} replaced by {@code inserted} */
    static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
        byte[] out = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at + removed, out, at + inserted.length, bytes.length - at - removed);
        return out;
    }

    /**
     * Random input that is not derived from a valid stream: pure noise, or noise behind one
     * plausible header (small length, zero flags) so the decoder gets past the first frame.
     */
    static byte[] randomStream(SplittableRandom r, StringBuilder log) {
        byte[] noise = randomBytes(r, size(r, 4096));
        if (r.nextBoolean()) {
            log.append("pure noise; ");
            return noise;
        }
        int length = r.nextInt(Math.min(noise.length, 64) + 1);
        log.append("plausible header (length ").append(length).append(") + noise; ");
        return splice(noise, 0, 0, header(length, KNOWN_TYPES[r.nextInt(KNOWN_TYPES.length)], 0, r.nextLong()));
    }

    // ---- payload contents ---------------------------------------------------------------------

    /** Printable bytes drawn from JSON's alphabet: looks like JSON, rarely is. */
    static byte[] jsonish(SplittableRandom r, int length) {
        byte[] alphabet = "{}[]\":,0123456789.-+eE truefalsnul\\/abc".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return bytes;
    }

    /** A string with ASCII, quotes and backslashes, control characters and non-ASCII code points. */
    static String randomString(SplittableRandom r, int maxLength) {
        int length = size(r, maxLength);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (r.nextInt(8)) {
                case 0 -> sb.append("\"\\/".charAt(r.nextInt(3)));
                case 1 -> sb.append((char) r.nextInt(0x20));
                case 2 -> sb.append((char) (0x80 + r.nextInt(0xD800 - 0x80)));
                case 3 -> sb.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000));
                case 4 -> sb.append("java.lang.IllegalStateException".charAt(r.nextInt(31)));
                default -> sb.append((char) (0x20 + r.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    /** A binary task class name of 1..{@code maxLength} characters, sometimes non-ASCII. */
    static String randomTaskName(SplittableRandom r, int maxLength) {
        String name = r.nextBoolean() ? "com.example.Task" + r.nextInt(1000) + (r.nextBoolean() ? "$Inner" : "")
                : randomString(r, maxLength);
        return name.isEmpty() ? "X" : name;
    }

    /** A valid TASK payload: name prefix, attempt 1..100, then a small JSON input. */
    static byte[] validTaskPayload(SplittableRandom r, StringBuilder log) {
        String name = randomTaskName(r, 300);
        if (r.nextInt(200) == 0) {
            name = "N".repeat(TaskRequest.MAX_NAME_LENGTH - r.nextInt(3)); // the longest names
        }
        byte[] prefix = TaskRequest.encodeName(name);
        int attempt = 1 + r.nextInt(io.forkpool.PoolOptions.MAX_ATTEMPTS);
        byte[] input = r.nextInt(4) == 0 ? new byte[0] : jsonish(r, size(r, 256));
        log.append("task name ").append(prefix.length - 2).append(" bytes, attempt ").append(attempt)
                .append(", input ").append(input.length).append(" bytes; ");
        byte[] payload = new byte[prefix.length + 1 + input.length];
        System.arraycopy(prefix, 0, payload, 0, prefix.length);
        payload[prefix.length] = (byte) attempt;
        System.arraycopy(input, 0, payload, prefix.length + 1, input.length);
        return payload;
    }

    /**
     * The control message types: every record nested in {@link Messages} (HELLO, FAILURE, STATUS,
     * the bootstrap line, and whatever is added later), found by reflection so this generator
     * follows changes to those records.
     */
    static final List<Class<?>> CONTROL_MESSAGE_TYPES = Arrays.stream(Messages.class.getDeclaredClasses())
            .filter(Class::isRecord)
            .sorted(Comparator.comparing(Class::getName))
            .collect(Collectors.toUnmodifiableList());

    /**
     * A control message with random field values: each record component gets a random value of
     * its type (numbers including extremes, strings with escapes and non-ASCII, lists, nulls).
     *
     * @return the record, or {@code null} if its constructor refused the values
     */
    static Object randomControlMessage(SplittableRandom r, Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = randomValue(r, types[i]);
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            return null; // a compact constructor may validate; the caller falls back to other inputs
        }
    }

    private static Object randomValue(SplittableRandom r, Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(100);
        }
        if (type == long.class || type == Long.class) {
            return r.nextBoolean() ? INTERESTING_IDS[r.nextInt(INTERESTING_IDS.length)] : r.nextLong();
        }
        if (type == boolean.class || type == Boolean.class) {
            return r.nextBoolean();
        }
        if (type == double.class || type == Double.class) {
            return r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
        }
        if (type == String.class) {
            return r.nextInt(10) == 0 ? null : randomString(r, r.nextInt(20) == 0 ? 4000 : 100);
        }
        if (type == List.class) { // List<String> in the records so far
            if (r.nextInt(5) == 0) {
                return null;
            }
            List<String> list = new ArrayList<>();
            for (int i = r.nextInt(5); i > 0; i--) {
                list.add(randomTaskName(r, 40));
            }
            return list;
        }
        if (type.isPrimitive()) {
            throw new IllegalStateException("add a generator for " + type);
        }
        return null;
    }

    /** JSON fragments that stress a parser: bad numbers, escapes, UTF-8, nesting, type ids. */
    private static final String[] JSON_TOKENS = {
        "{", "}", "[", "]", "\"", "\\", ",", ":", "null", "true", "false", "-", "0", "-0", "1.5", "1e999999",
        "-1e-999999", "99999999999999999999999999999", "NaN", "Infinity", "\"\\ud800\"", "\"\\udc00\\ud800\"",
        "\"\\u00\"", "\"\\x41\"", "\u0000", "/* c */", "// c\n", "'a'", "\"@class\":\"java.lang.Runtime\",",
        "{\"pid\":{}}", "[1,2,", "\"heapUsed\":1.0E300,", "\"protocolVersion\":\"1\",", "\"token\":[],",
        "\"message\":{\"a\":[null]},", "0x10", "01", ".5", "1.", "\uFEFF",
    };

    /**
     * Applies 1–3 mutations to a JSON document: a JSON fragment inserted or substituted, raw invalid
     * UTF-8, deep nesting, an overlong number, or any byte-level mutation.
     */
    static byte[] mutateJson(SplittableRandom r, byte[] original, StringBuilder log) {
        byte[] json = original.clone();
        int mutations = 1 + r.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            switch (r.nextInt(6)) {
                case 0, 1 -> {
                    String token = JSON_TOKENS[r.nextInt(JSON_TOKENS.length)];
                    int at = r.nextInt(json.length + 1);
                    int removed = r.nextBoolean() || at == json.length ? 0 : 1 + r.nextInt(Math.min(json.length - at, 8));
                    log.append("json '").append(token.replace("\n", "\\n")).append("' @").append(at)
                            .append(" replacing ").append(removed).append("; ");
                    json = splice(json, at, removed, token.getBytes(StandardCharsets.UTF_8));
                }
                case 2 -> {
                    byte[][] invalid = {{(byte) 0xC3, 0x28}, {(byte) 0xF0, (byte) 0x9F}, {(byte) 0xFF},
                        {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}};
                    byte[] bad = invalid[r.nextInt(invalid.length)];
                    int at = r.nextInt(json.length + 1);
                    log.append("raw bytes ").append(FuzzHarness.hex(bad, bad.length)).append(" @").append(at).append("; ");
                    json = splice(json, at, 0, bad);
                }
                case 3 -> {
                    int depth = r.nextInt(10) == 0 ? 20_000 : 400 + r.nextInt(200);
                    String open = r.nextBoolean() ? "[" : "{\"x\":";
                    int at = r.nextInt(json.length + 1);
                    log.append("nesting ").append(depth).append(" x '").append(open).append("' @").append(at).append("; ");
                    json = splice(json, at, 0, open.repeat(depth).getBytes(StandardCharsets.US_ASCII));
                }
                case 4 -> {
                    String digits = "9".repeat(500 + r.nextInt(2000));
                    int at = r.nextInt(json.length + 1);
                    log.append("number of ").append(digits.length()).append(" digits @").append(at).append("; ");
                    json = splice(json, at, 0, digits.getBytes(StandardCharsets.US_ASCII));
                }
                default -> json = mutateBytes(r, json, log);
            }
        }
        return json;
    }
}
