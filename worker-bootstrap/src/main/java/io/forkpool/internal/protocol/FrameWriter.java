package io.forkpool.internal.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * Encodes frames into a buffer and writes them to a blocking channel on {@link #flush()}, so that
 * several frames can share one system call. Frames too large for the buffer are written straight
 * from the caller's arrays. Not thread-safe: callers that share a writer synchronize on it.
 */
public final class FrameWriter {

    private static final int BUFFER_CAPACITY = 64 * 1024;

    private final WritableByteChannel channel;
    private final int maxFrameLength;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_CAPACITY);

    /**
     * Creates a writer.
     *
     * @param channel a blocking channel
     * @param maxFrameLength the largest payload this writer will send
     */
    public FrameWriter(WritableByteChannel channel, int maxFrameLength) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * Appends a frame whose payload is {@code first} followed by {@code second}.
     *
     * @param type the frame type, 0..255
     * @param correlationId the correlation id
     * @param first the first part of the payload (may be empty)
     * @param second the rest of the payload, or {@code null}
     * @throws IOException if flushing a full buffer fails
     * @throws IllegalArgumentException if the payload exceeds {@code maxFrameLength}
     */
    public void append(int type, long correlationId, byte[] first, byte[] second) throws IOException {
        long length = (long) first.length + (second == null ? 0 : second.length);
        if (length > maxFrameLength) {
            throw new IllegalArgumentException("frame payload of " + length + " bytes exceeds maxFrameLength "
                    + maxFrameLength);
        }
        if (FrameDecoder.HEADER_LENGTH + length > buffer.remaining()) {
            flush();
        }
        buffer.putInt((int) length).put((byte) type).put((byte) 0).putLong(correlationId);
        if (FrameDecoder.HEADER_LENGTH + length <= buffer.capacity()) {
            buffer.put(first);
            if (second != null) {
                buffer.put(second);
            }
        } else {
            flush();
            writeFully(ByteBuffer.wrap(first));
            if (second != null) {
                writeFully(ByteBuffer.wrap(second));
            }
        }
    }

    /**
     * Appends a TASK frame: the encoded name prefix, the attempt byte, then the input.
     *
     * @param taskId the task id (correlation id)
     * @param namePrefix the length-prefixed name from {@link TaskRequest#encodeName}
     * @param attempt the attempt number, 1..{@link io.forkpool.PoolOptions#MAX_ATTEMPTS}
     * @param input the input document
     * @throws IOException if flushing a full buffer fails
     */
    public void appendTask(long taskId, byte[] namePrefix, int attempt, byte[] input) throws IOException {
        if (attempt < 1 || attempt > io.forkpool.PoolOptions.MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempt must be in [1, " + io.forkpool.PoolOptions.MAX_ATTEMPTS + "]: "
                    + attempt);
        }
        byte[] header = java.util.Arrays.copyOf(namePrefix, namePrefix.length + 1);
        header[namePrefix.length] = (byte) attempt;
        append(FrameType.TASK, taskId, header, input);
    }

    /**
     * Appends a frame with a single-part payload.
     *
     * @param type the frame type
     * @param correlationId the correlation id
     * @param payload the payload
     * @throws IOException if flushing a full buffer fails
     */
    public void append(int type, long correlationId, byte[] payload) throws IOException {
        append(type, correlationId, payload, null);
    }

    /**
     * Writes every appended frame to the channel.
     *
     * @throws IOException if the channel fails
     */
    public void flush() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
