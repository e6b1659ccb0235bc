package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.PoolOptions;
import io.forkpool.WorkerPool;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Property-based fuzzing of {@link FrameDecoder} and {@link FrameReader} against section 3 of
 * docs/PROTOCOL.md, with the plain-JUnit harness {@link FuzzHarness} (seeded, replayable; see
 * there for {@code -Dforkpool.fuzz.seed}, {@code -Dforkpool.fuzz.cases} and
 * {@code -Dforkpool.fuzz.case}).
 *
 * <p>The oracle is {@link #reference}, a whole-buffer reading of section 3 written independently
 * of the decoder: the frames a stream holds, then a clean end, a violation at a known offset (bad
 * length or non-zero flags), or an end of stream inside a frame. Each decoder property feeds its
 * input in random 1–32-byte chunks and checks that:
 * <ul>
 *   <li>the decoder throws nothing but {@link ProtocolException} (no runtime exception, no error);</li>
 *   <li>it yields exactly the reference's frames, then ends the way the reference says, at the
 *       same offset, naming the offending header in hex;</li>
 *   <li>each case finishes within a second (no hang; the slowest case is reported);</li>
 *   <li>the bytes the decoding thread allocates stay within {@link #allocationBound}: proportional to
 *       the bytes actually fed, plus one initial payload buffer — never proportional to what a
 *       header merely announces.</li>
 * </ul>
 *
 * <p>Why: the decoder runs on the supervisor side against bytes from a process that may be buggy,
 * compromised or half-dead, and on the worker side against the supervisor. A runtime exception
 * would escape the protocol-error handling (the supervisor kills workers on
 * {@code ProtocolException} only), a hang would stall an I/O thread forever, and a lying length
 * must not let a peer make us allocate gigabytes.
 */
class FrameDecoderFuzzTest {

    /** The cap used for fuzzing: small, so allocation bounds are meaningful. */
    private static final int FUZZ_CAP = 64 * 1024;
    /**
     * A larger cap used for a quarter of the mutated cases: headers announcing up to a mebibyte
     * then fail the allocation bound if the decoder allocated what they announce.
     */
    private static final int LARGE_CAP = 1 << 20;
    private static final int MAX_CHUNK = 32;
    private static final long ONE_MIB = 1 << 20;

    // ---- the oracle ---------------------------------------------------------------------------

    enum Ending { CLEAN, VIOLATION, TRUNCATED }

    /**
     * What section 3 says a whole stream contains.
     *
     * @param frames the valid frames before the end
     * @param ending how the stream ends
     * @param offset where the offending header starts ({@code VIOLATION}), else the stream length
     * @param violation the exception type expected for a violation: a bad length is reported even
     *     when the flags are bad too, as section 3 orders the checks
     */
    record Expected(List<Frame> frames, Ending ending, int offset, Class<? extends ProtocolException> violation) {
    }

    /** Reads a whole stream as section 3 describes, independently of {@link FrameDecoder}. */
    static Expected reference(byte[] in, int maxFrameLength) {
        ByteBuffer bytes = ByteBuffer.wrap(in); // big-endian
        List<Frame> frames = new ArrayList<>();
        int at = 0;
        while (at < in.length) {
            if (in.length - at < FrameDecoder.HEADER_LENGTH) {
                return new Expected(frames, Ending.TRUNCATED, in.length, null);
            }
            long length = Integer.toUnsignedLong(bytes.getInt(at));
            int flags = in[at + 5] & 0xFF;
            boolean badLength = length > maxFrameLength; // also every length with the top bit set
            boolean badFlags = flags != 0;
            if (badLength || badFlags) { // "Receivers check length, then flags, then type."
                return new Expected(frames, Ending.VIOLATION, at,
                        badLength ? FrameTooLongException.class : CorruptFrameException.class);
            }
            int payloadStart = at + FrameDecoder.HEADER_LENGTH;
            if (in.length - payloadStart < length) {
                return new Expected(frames, Ending.TRUNCATED, in.length, null);
            }
            frames.add(new Frame(in[at + 4] & 0xFF, bytes.getLong(at + 6),
                    Arrays.copyOfRange(in, payloadStart, payloadStart + (int) length)));
            at = payloadStart + (int) length;
        }
        return new Expected(frames, Ending.CLEAN, in.length, null);
    }

    /**
     * The most the decoding thread may allocate for an input: payload arrays at most double what
     * arrived (the buffer grows by doubling), frame objects, one initial payload buffer of at most
     * 64 KiB for a frame whose bytes have not all arrived, and 16 KiB for an exception with its
     * message and stack trace.
     */
    static long allocationBound(int inputLength, int maxFrameLength) {
        return 4L * inputLength + Math.min(maxFrameLength, 64 * 1024) + 16 * 1024;
    }

    // ---- running the decoder --------------------------------------------------------------------

    /** What one chunked decoding produced. */
    record Decoded(FrameDecoder decoder, List<Frame> frames, Throwable thrown, boolean inEndOfStream) {
    }

    /**
     * Feeds {@code input} to a fresh decoder in the given chunks, then signals the end of the
     * stream; measures only that (generation and checks are outside the measured section).
     */
    static Decoded decode(byte[] input, int maxFrameLength, int[] chunks, FuzzHarness.Case fuzzCase) {
        FrameDecoder decoder = new FrameDecoder(maxFrameLength);
        ByteBuffer view = ByteBuffer.wrap(input);
        List<Frame> frames = new ArrayList<>(input.length / FrameDecoder.HEADER_LENGTH + 1); // never grows
        Consumer<Frame> sink = frames::add;
        Throwable thrown = null;
        boolean inEndOfStream = false;
        int fed = 0;
        fuzzCase.begin();
        try {
            for (int chunk : chunks) {
                view.limit(fed + chunk).position(fed);
                fed += chunk;
                decoder.decode(view, sink);
            }
            inEndOfStream = true;
            decoder.endOfStream();
        } catch (Throwable t) {
            thrown = t;
        }
        fuzzCase.end();
        return new Decoded(decoder, frames, thrown, inEndOfStream);
    }

    /** Checks a decoding against the reference and counts its ending. */
    static void assertMatchesReference(byte[] input, int maxFrameLength, Decoded decoded, FuzzHarness.Case fuzzCase) {
        Throwable thrown = decoded.thrown();
        if (thrown != null && !(thrown instanceof ProtocolException)) {
            throw new AssertionError("the decoder threw " + thrown.getClass().getName()
                    + "; only ProtocolException is allowed", thrown);
        }
        Expected expected = reference(input, maxFrameLength);
        fuzzCase.note("expected " + expected.ending() + " after " + expected.frames().size() + " frames, offset "
                + expected.offset() + "; got " + decoded.frames().size() + " frames, " + thrown);
        assertSameFrames(decoded.frames(), expected.frames());
        FrameDecoder decoder = decoded.decoder();
        switch (expected.ending()) {
            case CLEAN -> {
                assertThat(thrown).as("clean stream").isNull();
                assertThat(decoder.atFrameBoundary()).isTrue();
                assertThat(decoder.bytesConsumed()).isEqualTo(input.length);
            }
            case TRUNCATED -> {
                assertThat(thrown).as("stream ending inside a frame").isInstanceOf(CorruptFrameException.class)
                        .hasMessageContaining("end of stream inside a frame");
                assertThat(decoded.inEndOfStream()).as("reported by endOfStream()").isTrue();
                assertThat(decoder.bytesConsumed()).isEqualTo(input.length);
            }
            case VIOLATION -> {
                assertThat(thrown).as("violation").isInstanceOf(expected.violation())
                        .hasMessageContaining("stream offset " + expected.offset())
                        .hasMessageContaining(ProtocolException.hex(input, expected.offset(),
                                FrameDecoder.HEADER_LENGTH, FrameDecoder.HEADER_LENGTH));
                assertThat(decoded.inEndOfStream()).as("reported while decoding the header").isFalse();
                assertThat(decoder.bytesConsumed()).as("consumed up to the bad header")
                        .isEqualTo(expected.offset() + FrameDecoder.HEADER_LENGTH);
            }
        }
        fuzzCase.count(expected.ending().name().toLowerCase());
    }

    /** Checks the bytes allocated in the case's measured section against {@link #allocationBound}. */
    static void assertWithinAllocationBound(byte[] input, int maxFrameLength, FuzzHarness.Case fuzzCase) {
        assertThat(fuzzCase.allocatedBytes()).as("bytes allocated decoding %d input bytes, cap %d", input.length,
                maxFrameLength).isLessThanOrEqualTo(allocationBound(input.length, maxFrameLength));
    }

    static void assertSameFrames(List<Frame> actual, List<Frame> expected) {
        assertThat(actual).as("frame count").hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Frame a = actual.get(i);
            Frame e = expected.get(i);
            assertThat(a.type()).as("type of frame %d", i).isEqualTo(e.type());
            assertThat(a.correlationId()).as("correlation id of frame %d", i).isEqualTo(e.correlationId());
            assertThat(a.payload()).as("payload of frame %d", i).isEqualTo(e.payload());
        }
    }

    private static int mutationCap(SplittableRandom r) {
        return r.nextInt(4) == 0 ? LARGE_CAP : FUZZ_CAP;
    }

    /** A valid stream (payloads mostly small, sometimes up to the cap) with 1–4 mutations. */
    private static byte[] mutatedStream(SplittableRandom r, int cap, FuzzHarness.Case fuzzCase) {
        int maxPayload = r.nextInt(10) == 0 ? Math.min(cap, FUZZ_CAP) : 512;
        FuzzInputs.Stream stream = FuzzInputs.validStream(r, 12, maxPayload);
        StringBuilder log = new StringBuilder();
        byte[] input = FuzzInputs.mutate(r, stream, cap, log);
        fuzzCase.note("cap " + cap + "; " + stream.frames().size() + " valid frames, " + stream.bytes().length
                + " bytes, frame offsets " + Arrays.toString(stream.frameOffsets()) + "; mutations: " + log);
        return input;
    }

    /**
     * Runs every decoder path once (frames, each violation, each truncation, the calls after a
     * failure) before anything is measured, so the first measured case is not charged for class
     * loading and one-time initialisation (exception classes, {@code String.format}…).
     */
    @BeforeAll
    static void warmUp() {
        byte[] frame = FuzzInputs.encode(List.of(new Frame(FrameType.RESULT, 1, new byte[] {'4', '2'})), FUZZ_CAP).bytes();
        byte[][] inputs = {
            frame,
            Arrays.copyOf(frame, 5),
            Arrays.copyOf(frame, frame.length - 1),
            FuzzInputs.header(-1, FrameType.TASK, 0, 1),
            FuzzInputs.header(FUZZ_CAP + 1, FrameType.TASK, 0, 1),
            FuzzInputs.header(1, 0x99, 0x80, 1),
        };
        for (int round = 0; round < 3; round++) {
            for (byte[] input : inputs) {
                FuzzHarness.Case scratch = new FuzzHarness.Case(-1, new HashMap<>());
                Decoded decoded = decode(input, FUZZ_CAP, new int[] {input.length}, scratch);
                assertMatchesReference(input, FUZZ_CAP, decoded, scratch);
                try {
                    decoded.decoder().endOfStream();
                    decoded.decoder().decode(ByteBuffer.wrap(frame), f -> { });
                } catch (ProtocolException expected) {
                    // the point is to have run it
                }
            }
        }
    }

    // ---- property 1: robustness --------------------------------------------------------------------

    /**
     * Random byte streams (pure noise, or noise behind one plausible header) decode as the
     * reference says, throw only {@code ProtocolException}, finish fast and stay within the
     * allocation bound.
     */
    @Test
    void randomStreams(TestInfo test) {
        FuzzHarness.run(test, "decoder-random", FuzzHarness.cases(10_000), (r, c) -> {
            StringBuilder log = new StringBuilder();
            byte[] input = FuzzInputs.randomStream(r, log);
            c.input(input);
            int[] chunks = FuzzInputs.chunks(r, input.length, MAX_CHUNK);
            c.note("cap " + FUZZ_CAP + "; " + log + "chunks " + Arrays.toString(chunks));
            assertMatchesReference(input, FUZZ_CAP, decode(input, FUZZ_CAP, chunks, c), c);
            assertWithinAllocationBound(input, FUZZ_CAP, c);
        });
    }

    /**
     * Valid streams with 1–4 mutations (bit flips, byte replacement, truncation, insertion, slice
     * duplication and deletion; header length set to random, huge, negative, 0x7FFFFFFF,
     * 0x80000000, 0xFFFFFFFF, 0, cap, cap+1; non-zero flags; unknown types) decode as the reference
     * says, throw only {@code ProtocolException}, finish fast and stay within the allocation bound.
     */
    @Test
    void mutatedStreams(TestInfo test) {
        FuzzHarness.run(test, "decoder-mutated", FuzzHarness.cases(20_000), (r, c) -> {
            int cap = mutationCap(r);
            byte[] input = mutatedStream(r, cap, c);
            c.input(input);
            int[] chunks = FuzzInputs.chunks(r, input.length, MAX_CHUNK);
            c.note("chunks " + Arrays.toString(chunks));
            assertMatchesReference(input, cap, decode(input, cap, chunks, c), c);
            assertWithinAllocationBound(input, cap, c);
        });
    }

    /**
     * For valid streams encoded by {@link FrameWriter}, chunking does not matter: fed in random
     * 1–32-byte chunks or all at once, the decoder returns exactly the frames written, ends cleanly
     * and has consumed every byte. Caps of 1 KiB, 64 KiB and 256 KiB, with payloads up to the cap,
     * so the buffer-growth path (payloads over 64 KiB) is covered.
     */
    @Test
    void validStreamsDecodeToTheFramesWrittenWhateverTheChunking(TestInfo test) {
        int[] caps = {1024, FUZZ_CAP, 256 * 1024};
        FuzzHarness.run(test, "decoder-valid-chunking", FuzzHarness.cases(3_000), (r, c) -> {
            int cap = caps[r.nextInt(caps.length)];
            FuzzInputs.Stream stream = FuzzInputs.validStream(r, 16, cap);
            byte[] input = stream.bytes();
            c.input(input);
            int[] chunks = FuzzInputs.chunks(r, input.length, MAX_CHUNK);
            c.note("cap " + cap + "; frames " + stream.frames() + "; chunks " + Arrays.toString(chunks));
            for (int[] plan : new int[][] {chunks, input.length == 0 ? new int[0] : new int[] {input.length}}) {
                FuzzHarness.Case measured = plan == chunks ? c : new FuzzHarness.Case(c.index, new HashMap<>());
                Decoded decoded = decode(input, cap, plan, measured);
                if (decoded.thrown() != null) {
                    throw new AssertionError("valid stream rejected with " + plan.length + " chunks", decoded.thrown());
                }
                assertSameFrames(decoded.frames(), stream.frames());
                assertThat(decoded.decoder().atFrameBoundary()).isTrue();
                assertThat(decoded.decoder().bytesConsumed()).isEqualTo(input.length);
                assertWithinAllocationBound(input, cap, measured);
            }
            c.count("frames", stream.frames().size());
            c.max("max_stream_bytes", input.length);
        });
    }

    // ---- property 2: failed for good -----------------------------------------------------------

    /**
     * After its first {@code ProtocolException} the decoder is "unusable" (its Javadoc): every
     * later call — {@code decode} with more bytes, with a valid frame, with no bytes, and
     * {@code endOfStream} — throws {@code ProtocolException}, consumes nothing, delivers no frame
     * and leaves {@code bytesConsumed} unchanged. In particular {@code endOfStream} must not report a
     * clean end after a violation: a caller asking "did the stream end cleanly?" would be told yes.
     */
    @Test
    void decoderStaysFailedAfterTheFirstError(TestInfo test) {
        byte[] validFrame = FuzzInputs.encode(List.of(new Frame(FrameType.SHUTDOWN, 0, Frame.EMPTY)), FUZZ_CAP).bytes();
        FuzzHarness.run(test, "decoder-stays-failed", FuzzHarness.cases(5_000), (r, c) -> {
            byte[] input = mutatedStream(r, FUZZ_CAP, c);
            c.input(input);
            Decoded decoded = decode(input, FUZZ_CAP, FuzzInputs.chunks(r, input.length, MAX_CHUNK), c);
            if (decoded.thrown() == null) {
                c.count("no_error");
                return;
            }
            assertThat(decoded.thrown()).isInstanceOf(ProtocolException.class);
            c.count(decoded.inEndOfStream() ? "failed_at_end" : "failed_decoding");
            FrameDecoder decoder = decoded.decoder();
            long consumed = decoder.bytesConsumed();
            int probes = 1 + r.nextInt(4);
            for (int i = 0; i < probes; i++) {
                int probe = r.nextInt(4);
                ByteBuffer more = switch (probe) {
                    case 0 -> ByteBuffer.wrap(validFrame);
                    case 1 -> ByteBuffer.allocate(0);
                    case 2 -> ByteBuffer.wrap(FuzzInputs.randomBytes(r, 1 + r.nextInt(64)));
                    default -> null;
                };
                c.note("probe " + i + ": " + (more == null ? "endOfStream()" : "decode(" + more.remaining() + " bytes)"));
                List<Frame> late = new ArrayList<>();
                Throwable thrown = null;
                try {
                    if (more == null) {
                        decoder.endOfStream();
                    } else {
                        decoder.decode(more, late::add);
                    }
                } catch (Throwable t) {
                    thrown = t;
                }
                assertThat(thrown).as("probe %d (%s) after %s", i, more == null ? "endOfStream" : "decode",
                        decoded.thrown()).isInstanceOf(ProtocolException.class);
                assertThat(late).as("frames delivered after the failure").isEmpty();
                if (more != null) {
                    assertThat(more.position()).as("bytes taken after the failure").isZero();
                }
                assertThat(decoder.bytesConsumed()).isEqualTo(consumed);
            }
            c.count("probe_calls", probes);
        });
    }

    // ---- FrameReader: the same frames whatever the reads return -----------------------------------

    /** A blocking channel over a byte array whose reads return 1..{@code maxRead} bytes. */
    static final class ChunkedChannel implements ReadableByteChannel {
        private final byte[] data;
        private final SplittableRandom random;
        private final int maxRead;
        private int position;

        ChunkedChannel(byte[] data, SplittableRandom random, int maxRead) {
            this.data = data;
            this.random = random;
            this.maxRead = maxRead;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(1 + random.nextInt(maxRead), data.length - position), dst.remaining());
            dst.put(data, position, n);
            position += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /**
     * {@link FrameReader} over a channel whose reads return random amounts (1 byte up to 64 KiB at
     * a time), on valid and mutated streams: {@code read()} returns exactly the reference's frames,
     * in order, then {@code null} for a clean end or a {@code ProtocolException} otherwise — so what
     * the supervisor or the worker sees does not depend on how the kernel happened to split the
     * bytes. A frame that arrived complete before a corrupt header must be handed out whether or not
     * the corrupt bytes came in the same read. After the end, {@code read()} repeats it.
     */
    @Test
    void frameReaderReturnsTheSameFramesWhateverTheReadSizes(TestInfo test) {
        int[] maxReads = {1, 7, MAX_CHUNK, 4096, 64 * 1024};
        FuzzHarness.run(test, "reader-chunking", FuzzHarness.cases(4_000), (r, c) -> {
            int cap = FUZZ_CAP;
            byte[] input = r.nextInt(4) == 0 ? FuzzInputs.validStream(r, 12, 512).bytes() : mutatedStream(r, cap, c);
            c.input(input);
            int maxRead = maxReads[r.nextInt(maxReads.length)];
            c.note("reads of at most " + maxRead + " bytes");
            FrameReader reader = new FrameReader(new ChunkedChannel(input, r.split(), maxRead), cap);
            List<Frame> frames = new ArrayList<>();
            Throwable thrown = null;
            boolean cleanEnd = false;
            c.begin();
            try {
                Frame frame;
                while ((frame = reader.read()) != null) {
                    frames.add(frame);
                }
                cleanEnd = true;
            } catch (Throwable t) {
                thrown = t;
            }
            c.end();
            if (thrown != null && !(thrown instanceof ProtocolException)) {
                throw new AssertionError("FrameReader threw " + thrown.getClass().getName(), thrown);
            }
            Expected expected = reference(input, cap);
            c.note("expected " + expected.ending() + " after " + expected.frames().size() + " frames; got "
                    + frames.size() + " frames, " + thrown);
            assertSameFrames(frames, expected.frames());
            assertThat(cleanEnd).as("clean end").isEqualTo(expected.ending() == Ending.CLEAN);
            Throwable again = null;
            Frame after = null;
            try {
                after = reader.read();
            } catch (Throwable t) {
                again = t;
            }
            if (cleanEnd) {
                assertThat(again).as("read() after a clean end").isNull();
                assertThat(after).as("read() after a clean end").isNull();
            } else {
                assertThat(again).as("read() after %s", thrown).isInstanceOf(ProtocolException.class);
            }
            c.count(expected.ending().name().toLowerCase());
        });
    }

    // ---- property 3: hostile lengths with the real caps --------------------------------------------

    /**
     * With the default cap (64 MiB, from {@code WorkerPoolBuilder}) and the largest allowed
     * ({@link PoolOptions#MAX_FRAME_LENGTH_LIMIT}, 1 GiB), headers announcing 0x7FFFFFFF,
     * 0x80000000, 0xFFFFFFFF and cap + 1 are rejected as soon as the header is complete, and one
     * announcing exactly the cap followed by a few bytes just waits for more (then is reported as a
     * truncated frame at the end of the stream) — each costing under 1 MiB, measured both as bytes
     * allocated by the thread and as heap growth after a full GC while the decoder is still
     * reachable. Section 3: a receiver rejects a bad length "before allocating anything for the
     * payload"; the decoder's Javadoc: the buffer grows "as bytes actually arrive".
     */
    @Test
    void hostileLengthsCostLessThanOneMebibyte(TestInfo test) {
        int defaultCap = WorkerPool.builder().options().maxFrameLength();
        int[] caps = {defaultCap, PoolOptions.MAX_FRAME_LENGTH_LIMIT};
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.println("FUZZ: hostile-lengths caps: default " + defaultCap + ", max " + caps[1]);
        FuzzHarness.run(test, "decoder-hostile-lengths", 30, (r, c) -> {
            int cap = caps[(c.index / 5) % 2];
            int[] lengths = {0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, cap + 1, cap};
            int length = lengths[c.index % 5];
            boolean inCap = length == cap;
            byte[] input = FuzzInputs.splice(FuzzInputs.header(length, FrameType.RESULT, 0, 1 + r.nextInt(1000)),
                    FrameDecoder.HEADER_LENGTH, 0, FuzzInputs.randomBytes(r, 1 + r.nextInt(16)));
            c.input(input);
            int[] chunks = FuzzInputs.chunks(r, input.length, MAX_CHUNK);
            c.note("cap " + cap + ", announced length " + Integer.toUnsignedString(length) + ", chunks "
                    + Arrays.toString(chunks));

            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();
            FrameDecoder decoder = new FrameDecoder(cap);
            ByteBuffer view = ByteBuffer.wrap(input);
            List<Frame> frames = new ArrayList<>(1);
            Consumer<Frame> sink = frames::add;
            Throwable thrown = null;
            int fed = 0;
            c.begin();
            try {
                for (int chunk : chunks) {
                    view.limit(fed + chunk).position(fed);
                    fed += chunk;
                    decoder.decode(view, sink);
                }
            } catch (Throwable t) {
                thrown = t;
            }
            c.end();
            System.gc();
            long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
            Reference.reachabilityFence(decoder); // whatever it holds counts as growth

            if (inCap) {
                assertThat(thrown).as("a frame of exactly the cap is valid").isNull();
                assertThat(frames).isEmpty();
                assertThat(decoder.atFrameBoundary()).isFalse();
                int sent = input.length - FrameDecoder.HEADER_LENGTH;
                try {
                    decoder.endOfStream();
                    throw new AssertionError("endOfStream() accepted a frame missing " + (cap - sent) + " bytes");
                } catch (CorruptFrameException expected) {
                    assertThat(expected).hasMessageContaining("after " + sent + " of " + cap + " payload bytes");
                }
                c.count("waiting");
            } else {
                assertThat(thrown).as("announced length %s", Integer.toUnsignedString(length))
                        .isInstanceOf(FrameTooLongException.class);
                assertThat(decoder.bytesConsumed()).as("rejected right after the header")
                        .isEqualTo(FrameDecoder.HEADER_LENGTH);
                c.count("rejected");
            }
            assertThat(c.allocatedBytes()).as("bytes allocated").isLessThan(ONE_MIB);
            assertThat(heapGrowth).as("heap growth after GC").isLessThan(ONE_MIB);
            c.max("max_heap_growth_bytes", heapGrowth);
        });
    }

    /** Guards the harness itself: the reference agrees with a hand-made stream. */
    @Test
    void referenceReadsSectionThreeExample() {
        byte[] example = {0, 0, 0, 2, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 1, '4', '2'};
        Expected expected = reference(example, 1024);
        assertThat(expected.ending()).isEqualTo(Ending.CLEAN);
        assertSameFrames(expected.frames(), List.of(new Frame(FrameType.RESULT, 1, new byte[] {'4', '2'})));
        assertThat(reference(Arrays.copyOf(example, 15), 1024).ending()).isEqualTo(Ending.TRUNCATED);
        assertThat(reference(example, 1).ending()).isEqualTo(Ending.VIOLATION);
    }
}
