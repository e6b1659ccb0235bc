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

    @Test
    void aTaskOfARangeIsTheTaskOfThoseBytes() throws Exception {
        byte[] prefix = TaskRequest.encodeName("a.B");
        byte[] around = "xx{\"n\":1}yy".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(frames(w -> w.appendTask(3, prefix, 2, around, 2, 7)))
                .isEqualTo(frames(w -> w.appendTask(3, prefix, 2, "{\"n\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Test
    void aBatchIsItsRangeBetweenBracketsAlsoWhenLargerThanTheBuffer() throws Exception {
        byte[] prefix = TaskRequest.encodeName("a.B");
        for (int size : new int[] {1, 65_000, 65_536 * 3 + 7}) {
            byte[] elements = new byte[size + 10];
            new Random(size).nextBytes(elements);
            byte[] payload = reread(frames(w -> w.appendBatch(9, prefix, 1, elements, 4, size, 2))).payload();

            byte[] expected = new byte[prefix.length + 1 + size + 2];
            System.arraycopy(prefix, 0, expected, 0, prefix.length);
            expected[prefix.length] = 1;
            expected[prefix.length + 1] = '[';
            System.arraycopy(elements, 4, expected, prefix.length + 2, size);
            expected[expected.length - 1] = ']';
            assertThat(payload).isEqualTo(expected);
        }
    }

    @Test
    void refusesABatchOfNoInputsOrOfTooMany() {
        FrameWriter writer = new FrameWriter(Channels.newChannel(new ByteArrayOutputStream()), 1 << 20);
        byte[] prefix = TaskRequest.encodeName("a.B");
        assertThatThrownBy(() -> writer.appendBatch(1, prefix, 1, new byte[4], 0, 4, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a batch holds 1..65536 inputs: 0");
        assertThatThrownBy(() -> writer.appendBatch(1, prefix, 1, new byte[4], 0, 4, TaskRequest.MAX_BATCH_INPUTS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a batch holds 1..65536 inputs: 65537");
        assertThatThrownBy(() -> writer.appendBatch(1, prefix, 1, new byte[4], 2, 3, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private interface Writes {
        void to(FrameWriter writer) throws Exception;
    }

    private static byte[] frames(Writes writes) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(bytes), 1 << 20);
        writes.to(writer);
        writer.flush();
        return bytes.toByteArray();
    }

    private static Frame reread(byte[] bytes) throws Exception {
        return new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes)), 1 << 20).read();
    }
}
