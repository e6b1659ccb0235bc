package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import org.junit.jupiter.api.Test;

/** Regression tests for {@link FrameReader}; the randomized version is in {@link FrameDecoderFuzzTest}. */
class FrameReaderTest {

    private static byte[] stream(byte[]... parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part);
        }
        return out.toByteArray();
    }

    private static byte[] frame(int type, long id, byte[] payload) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(bytes), 1024);
        writer.append(type, id, payload);
        writer.flush();
        return bytes.toByteArray();
    }

    /**
     * A RESULT followed, in the same read, by a header with non-zero flags: the RESULT is returned
     * first, then the violation — as it would be if the two had arrived in separate reads.
     */
    @Test
    void returnsTheFramesBeforeACorruptHeaderInTheSameReadFirst() throws Exception {
        byte[] bytes = stream(frame(FrameType.RESULT, 7, new byte[] {'4', '2'}),
                FuzzInputs.header(0, FrameType.STATUS, 0x01, 0));
        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes)), 1024);

        Frame first = reader.read();
        assertThat(first.type()).isEqualTo(FrameType.RESULT);
        assertThat(first.correlationId()).isEqualTo(7);
        assertThatThrownBy(reader::read).isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("flags must be 0, got 0x1");
        assertThatThrownBy(reader::read).as("still failed, not a clean end").isInstanceOf(ProtocolException.class);
    }

    /**
     * {@code ready()} says whether the next read is served from frames already decoded: true while
     * frames of the last read wait, and for a violation behind them; false for a partial frame.
     */
    @Test
    void isReadyExactlyWhileDecodedFramesOrAViolationWait() throws Exception {
        byte[] second = frame(FrameType.CANCEL, 2, new byte[0]);
        byte[] bytes = stream(frame(FrameType.TASK, 1, new byte[] {1, 2, 3}), second,
                java.util.Arrays.copyOf(second, 5));
        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes)), 1024);
        assertThat(reader.ready()).as("nothing read yet").isFalse();

        assertThat(reader.read().correlationId()).isEqualTo(1);
        assertThat(reader.ready()).as("the CANCEL of the same read").isTrue();
        assertThat(reader.read().correlationId()).isEqualTo(2);
        assertThat(reader.ready()).as("5 of 14 header bytes are no frame").isFalse();

        byte[] corrupt = stream(frame(FrameType.RESULT, 7, new byte[] {'4', '2'}),
                FuzzInputs.header(0, FrameType.STATUS, 0x01, 0));
        FrameReader failing = new FrameReader(Channels.newChannel(new ByteArrayInputStream(corrupt)), 1024);
        assertThat(failing.read().correlationId()).isEqualTo(7);
        assertThat(failing.ready()).as("the violation behind it").isTrue();
        assertThatThrownBy(failing::read).isInstanceOf(CorruptFrameException.class);
        assertThat(failing.ready()).isFalse();
    }

    /** After a violation, a channel at end of stream is not reported as a clean end ({@code null}). */
    @Test
    void doesNotReportACleanEndAfterAViolation() throws Exception {
        byte[] bytes = FuzzInputs.header(-1, FrameType.RESULT, 0, 1);
        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes)), 1024);

        assertThatThrownBy(reader::read).isInstanceOf(FrameTooLongException.class);
        assertThatThrownBy(reader::read).isInstanceOf(CorruptFrameException.class).hasMessageContaining("already failed");
    }
}
