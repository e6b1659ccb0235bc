package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameWriterTest {

    @Test
    void roundTripsFramesOfEverySizeThroughAReader() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(bytes), 1 << 20);
        Random random = new Random(1);
        byte[][] payloads = {new byte[0], new byte[1], new byte[65_000], new byte[70_000], new byte[1 << 20]};
        for (byte[] payload : payloads) {
            random.nextBytes(payload);
        }
        for (int i = 0; i < payloads.length; i++) {
            writer.append(FrameType.RESULT, i, payloads[i]);
        }
        writer.append(FrameType.TASK, 99, new byte[] {1, 2}, new byte[] {3});
        writer.flush();

        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray())), 1 << 20);
        for (int i = 0; i < payloads.length; i++) {
            Frame frame = reader.read();
            assertThat(frame.correlationId()).isEqualTo(i);
            assertThat(frame.payload()).isEqualTo(payloads[i]);
        }
        assertThat(reader.read().payload()).containsExactly(1, 2, 3);
        assertThat(reader.read()).isNull();
    }

    @Test
    void refusesToWriteMoreThanTheMaximum() {
        FrameWriter writer = new FrameWriter(Channels.newChannel(new ByteArrayOutputStream()), 10);
        assertThatThrownBy(() -> writer.append(FrameType.RESULT, 1, new byte[6], new byte[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frame payload of 11 bytes exceeds maxFrameLength 10");
    }
}
