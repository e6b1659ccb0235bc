package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static final int MAX = 1024;

    private final FrameDecoder decoder = new FrameDecoder(MAX);
    private final List<Frame> frames = new ArrayList<>();

    private static byte[] encode(int type, long id, byte[] payload) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(bytes), Integer.MAX_VALUE - 64);
        writer.append(type, id, payload);
        writer.flush();
        return bytes.toByteArray();
    }

    private static byte[] header(int length, int type, int flags, long id) {
        return ByteBuffer.allocate(FrameDecoder.HEADER_LENGTH).putInt(length).put((byte) type).put((byte) flags)
                .putLong(id).array();
    }

    private void feed(byte[] bytes) throws ProtocolException {
        decoder.decode(ByteBuffer.wrap(bytes), frames::add);
    }

    @Test
    void encodesTheDocumentedHeaderLayout() throws Exception {
        byte[] bytes = encode(FrameType.RESULT, 0x0102030405060708L, new byte[] {42});
        assertThat(bytes).containsExactly(0, 0, 0, 1, 0x11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 42);
    }

    @Test
    void decodesAnEmptyPayload() throws Exception {
        feed(encode(FrameType.SHUTDOWN, 0, Frame.EMPTY));
        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FrameType.SHUTDOWN);
            assertThat(f.payload()).isEmpty();
        });
        assertThat(decoder.atFrameBoundary()).isTrue();
    }

    @Test
    void acceptsAPayloadOfExactlyTheMaximum() throws Exception {
        byte[] payload = new byte[MAX];
        Arrays.fill(payload, (byte) 7);
        feed(encode(FrameType.TASK, 9, payload));
        assertThat(frames).singleElement().satisfies(f -> assertThat(f.payload()).isEqualTo(payload));
    }

    @Test
    void rejectsOneByteOverTheMaximumBeforeReadingThePayload() {
        assertThatThrownBy(() -> feed(header(MAX + 1, FrameType.TASK, 0, 1)))
                .isInstanceOf(FrameTooLongException.class)
                .hasMessageContaining("frame length 1025 exceeds 1024")
                .hasMessageContaining("00 00 04 01 10 00");
    }

    @Test
    void rejectsANegativeLength() {
        assertThatThrownBy(() -> feed(header(-1, FrameType.TASK, 0, 1)))
                .isInstanceOf(FrameTooLongException.class)
                .hasMessageContaining("negative frame length -1");
    }

    @Test
    void rejectsNonZeroFlags() {
        assertThatThrownBy(() -> feed(header(0, FrameType.TASK, 0x80, 1)))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("flags must be 0, got 0x80");
    }

    @Test
    void staysFailedAfterAnError() {
        assertThatThrownBy(() -> feed(header(-5, 1, 0, 0))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> feed(encode(FrameType.SHUTDOWN, 0, Frame.EMPTY)))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("already failed");
    }

    @Test
    void endOfStreamAfterAnErrorIsNotACleanEnd() {
        assertThatThrownBy(() -> feed(header(MAX + 1, FrameType.RESULT, 0, 1))).isInstanceOf(FrameTooLongException.class);
        assertThatThrownBy(decoder::endOfStream)
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("already failed");
    }

    @Test
    void reportsEndOfStreamInsideAHeader() throws Exception {
        feed(Arrays.copyOf(encode(FrameType.RESULT, 3, new byte[] {1, 2}), 5));
        assertThatThrownBy(decoder::endOfStream)
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("after 5 of 14 header bytes");
    }

    @Test
    void reportsEndOfStreamInsideAPayload() throws Exception {
        byte[] frame = encode(FrameType.RESULT, 3, new byte[] {1, 2, 3});
        feed(Arrays.copyOf(frame, frame.length - 1));
        assertThatThrownBy(decoder::endOfStream)
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("after 2 of 3 payload bytes of a RESULT frame");
    }

    @Test
    void cleanEndOfStreamAtAFrameBoundary() throws Exception {
        feed(encode(FrameType.RESULT, 3, new byte[] {1}));
        decoder.endOfStream();
        assertThat(frames).hasSize(1);
    }

    @Test
    void decodesOneByteAtATime() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(encode(FrameType.TASK, 1, "first".getBytes()));
        stream.write(encode(FrameType.SHUTDOWN, 0, Frame.EMPTY));
        stream.write(encode(FrameType.RESULT, Long.MAX_VALUE, new byte[200_000 / 256]));
        for (byte b : stream.toByteArray()) {
            feed(new byte[] {b});
        }
        assertThat(frames).extracting(Frame::type).containsExactly(FrameType.TASK, FrameType.SHUTDOWN, FrameType.RESULT);
        assertThat(frames.get(0).payload()).asString().isEqualTo("first");
        assertThat(frames.get(2).correlationId()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoder.bytesConsumed()).isEqualTo(stream.size());
    }

    @Test
    void decodesManyFramesFromOneChunk() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            stream.write(encode(FrameType.RESULT, i, new byte[] {(byte) i}));
        }
        feed(stream.toByteArray());
        assertThat(frames).hasSize(100);
        assertThat(frames.get(99).correlationId()).isEqualTo(99);
        assertThat(frames.get(99).payload()).containsExactly(99);
    }

    @Test
    void growsThePayloadBufferOnlyAsBytesArrive() throws Exception {
        FrameDecoder big = new FrameDecoder(64 << 20);
        big.decode(ByteBuffer.wrap(header(60 << 20, FrameType.RESULT, 0, 1)), frames::add);
        big.decode(ByteBuffer.wrap(new byte[10]), frames::add);
        assertThat(frames).isEmpty();
        assertThatThrownBy(big::endOfStream).hasMessageContaining("after 10 of 62914560 payload bytes");
    }

    @Test
    void validatesItsMaximum() {
        assertThatThrownBy(() -> new FrameDecoder(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFrameLength must be positive: 0");
    }
}
