package io.forkpool.benchmarks;

import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameDecoder;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import io.forkpool.internal.protocol.TaskRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the framing layer costs per TASK frame, without Jackson, threads or sockets: the part of a
 * round trip that {@link PoolRoundTripBenchmark} cannot separate from the wake-ups.
 *
 * <ul>
 *   <li>{@code encode}: {@link FrameWriter#appendTask} then {@link FrameWriter#flush()}, as the
 *       supervisor's sender thread does for a batch of one, into an in-memory channel that copies
 *       the bytes out (standing in for the socket write's copy into the kernel, minus the system
 *       call). One operation is one frame.</li>
 *   <li>{@code decode}: {@link FrameDecoder#decode} over a buffer holding {@code FRAMES} TASK
 *       frames back to back, fed in 64 KiB slices of a direct buffer as {@code FrameReader} reads
 *       them from the socket. JMH divides by the frame count, so the score is ns per frame.</li>
 * </ul>
 * {@code payload=small} is a no-op task's frame: the {@link NoOp} class name and the 10-byte JSON
 * input {@code 1234567890} (40 bytes of payload, 54 with the header). {@code payload=64KiB} carries a 65,536-byte input
 * (a JSON string), so the whole payload is just over the writer's and reader's 64 KiB buffers.
 *
 * <p>What to expect: tens of nanoseconds per small frame on either side (a header, two small
 * array copies, one {@link Frame} allocation), far below the microseconds of one thread wake-up;
 * for 64 KiB, a few microseconds, about what copying 64 KiB a few times costs (memory bandwidth). A
 * 64 KiB payload does not fit the writer's buffer, so it goes out in three writes (header and
 * name, then the input), and the decoder assembles it across two slices: it starts with a 64 KiB
 * array (it allocates no more before the bytes arrive) and then grows it to the full length, an
 * extra 64 KiB allocation and copy per frame ({@code -prof gc} shows about 128 KiB per frame).
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -pl benchmarks -am -DskipTests package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FrameCodecBenchmark -rf json -rff /tmp/jmh-frames.json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class FrameCodecBenchmark {

    /** Frames in the decode buffer: enough that the per-call overhead spreads thin. */
    static final int FRAMES = 64;

    /** The pool's default frame cap: what both sides' decoders check lengths against. */
    private static final int MAX_FRAME_LENGTH = 64 * 1024 * 1024;

    /** What {@code FrameReader} reads per system call at most (its buffer). */
    private static final int READ_SLICE = 64 * 1024;

    /** One TASK frame's parts, encoded once, as the runtime encodes them once per submit. */
    @State(Scope.Thread)
    public static class Payload {

        @Param({"small", "64KiB"})
        String payload;

        byte[] namePrefix;
        byte[] input;
        FrameWriter writer;
        SinkChannel sink;
        /** {@link #FRAMES} frames back to back, in a direct buffer like the reader's. */
        ByteBuffer stream;

        /**
         * Encodes the input with the pool's data mapper and writes the decode buffer.
         *
         * @throws IOException never: the channel is in memory
         */
        @Setup(Level.Trial)
        public void prepare() throws IOException {
            var mapper = Messages.newDataMapper(MAX_FRAME_LENGTH);
            namePrefix = TaskRequest.encodeName(NoOp.class.getName());
            input = switch (payload) {
                case "small" -> mapper.writeValueAsBytes(1234567890);
                // 65,534 characters plus the two quotes: exactly 64 KiB of JSON.
                case "64KiB" -> mapper.writeValueAsBytes("x".repeat(64 * 1024 - 2));
                default -> throw new IllegalArgumentException(payload);
            };
            int frameLength = FrameDecoder.HEADER_LENGTH + namePrefix.length + 1 + input.length;
            sink = new SinkChannel(frameLength);
            writer = new FrameWriter(sink, MAX_FRAME_LENGTH);

            // The decode input is what the encoder writes, so both sides measure the same bytes.
            SinkChannel all = new SinkChannel(FRAMES * frameLength);
            FrameWriter streamWriter = new FrameWriter(all, MAX_FRAME_LENGTH);
            for (int i = 1; i <= FRAMES; i++) {
                streamWriter.appendTask(i, namePrefix, 1, input);
            }
            streamWriter.flush();
            ByteBuffer written = all.written();
            stream = ByteBuffer.allocateDirect(written.remaining()).put(written).flip();

            // Check once that the bytes decode to what was encoded; a broken setup must not time.
            int[] seen = {0};
            new FrameDecoder(MAX_FRAME_LENGTH).decode(stream.duplicate(), frame -> {
                if (frame.type() != FrameType.TASK || frame.payload().length != frameLength - FrameDecoder.HEADER_LENGTH) {
                    throw new IllegalStateException("unexpected frame " + frame);
                }
                seen[0]++;
            });
            if (seen[0] != FRAMES) {
                throw new IllegalStateException("decoded " + seen[0] + " of " + FRAMES + " frames");
            }
            System.out.printf("%n[frame] payload=%s: %d-byte input, %d-byte frame (%d header + %d payload)%n",
                    payload, input.length, frameLength, FrameDecoder.HEADER_LENGTH,
                    frameLength - FrameDecoder.HEADER_LENGTH);
        }
    }

    /**
     * Encodes and flushes one TASK frame.
     *
     * @param state the frame's parts and the writer
     * @return bytes the channel received, consumed by JMH
     * @throws IOException never: the channel is in memory
     */
    @Benchmark
    public int encode(Payload state) throws IOException {
        state.sink.reset();
        state.writer.appendTask(42, state.namePrefix, 1, state.input);
        state.writer.flush();
        return state.sink.position();
    }

    /**
     * Decodes {@link #FRAMES} TASK frames.
     *
     * @param state the encoded frames
     * @param blackhole consumes every frame, so none is optimised away
     * @throws ProtocolException never: the frames are valid
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(FRAMES)
    public void decode(Payload state, Blackhole blackhole) throws ProtocolException {
        // A decoder per call is what one stream costs; it holds only a 14-byte header array.
        FrameDecoder decoder = new FrameDecoder(MAX_FRAME_LENGTH);
        Consumer<Frame> sink = blackhole::consume;
        ByteBuffer in = state.stream.duplicate();
        int end = in.limit();
        for (int at = 0; at < end; at += READ_SLICE) {
            in.limit(Math.min(end, at + READ_SLICE)).position(at);
            decoder.decode(in, sink);
        }
    }

    /**
     * A blocking-channel stand-in that copies what is written into a reusable heap buffer: the
     * copy is what a socket write costs in user-visible bytes, and reusing the buffer keeps
     * allocation out of the figure ({@code Channels.newChannel(ByteArrayOutputStream)} would add
     * its own 8 KiB staging copy and the stream's growth).
     */
    static final class SinkChannel implements WritableByteChannel {

        private final ByteBuffer target;

        SinkChannel(int capacity) {
            target = ByteBuffer.allocate(capacity);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            target.put(src);
            return n;
        }

        void reset() {
            target.clear();
        }

        int position() {
            return target.position();
        }

        ByteBuffer written() {
            return target.duplicate().flip();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
