package io.forkpool.internal.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * Encodes frames into a buffer and writes them to a blocking channel on {@link #flush()}, so that
 * several frames can share one system call. Payload parts too large for the buffer are written
 * straight from the caller's arrays. Not thread-safe: callers that share a writer synchronize on it.
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
        startFrame(type, correlationId, (long) first.length + (second == null ? 0 : second.length));
        put(first, 0, first.length);
        if (second != null) {
            put(second, 0, second.length);
        }
    }

    /**
     * Checks a payload length against {@code maxFrameLength} and writes the frame's header,
     * flushing first if the whole frame does not fit in what is left of the buffer; the caller
     * then {@link #put}s exactly {@code length} payload bytes.
     */
    private void startFrame(int type, long correlationId, long length) throws IOException {
        if (length > maxFrameLength) {
            throw new IllegalArgumentException("frame payload of " + length + " bytes exceeds maxFrameLength "
                    + maxFrameLength);
        }
        if (FrameDecoder.HEADER_LENGTH + length > buffer.remaining()) {
            flush();
        }
        buffer.putInt((int) length).put((byte) type).put((byte) 0).putLong(correlationId);
    }

    /**
     * Appends a TASK frame: the encoded name prefix, the attempt byte, then the input.
     *
     * @param taskId the task id (correlation id)
     * @param namePrefix the length-prefixed name from {@link TaskRequest#encodeName}
     * @param attempt the attempt number, 1..{@link io.forkpool.PoolOptions#MAX_ATTEMPTS}
     * @param input the input document
     * @throws IOException if flushing a full buffer fails
     * @throws IllegalArgumentException if the attempt is out of range or the payload exceeds {@code maxFrameLength}
     */
    public void appendTask(long taskId, byte[] namePrefix, int attempt, byte[] input) throws IOException {
        appendTask(taskId, namePrefix, attempt, input, 0, input.length);
    }

    /**
     * Appends a TASK frame whose input is a range of a larger array (one element of a batch's
     * encoded inputs), copied straight from there.
     *
     * @param taskId the task id (correlation id)
     * @param namePrefix the length-prefixed name from {@link TaskRequest#encodeName}
     * @param attempt the attempt number, 1..{@link io.forkpool.PoolOptions#MAX_ATTEMPTS}
     * @param bytes holds the input document
     * @param offset where the input starts in {@code bytes}
     * @param length the input's length in bytes
     * @throws IOException if flushing a full buffer fails
     * @throws IllegalArgumentException if the attempt is out of range or the payload exceeds {@code maxFrameLength}
     */
    public void appendTask(long taskId, byte[] namePrefix, int attempt, byte[] bytes, int offset, int length)
            throws IOException {
        checkAttempt(attempt);
        Objects.checkFromIndexSize(offset, length, bytes.length);
        startFrame(FrameType.TASK, taskId, namePrefix.length + 1L + length);
        put(namePrefix, 0, namePrefix.length);
        put((byte) attempt);
        put(bytes, offset, length);
    }

    /**
     * Appends a BATCH frame: the encoded name prefix, the attempt byte, then {@code count} inputs
     * as one JSON array. The inputs are a range of a larger array that already holds them with
     * their separating commas (the elements {@code [from, to)} of a batch's encoded inputs), so
     * the frame is the range between brackets, copied straight into the buffer, which is flushed
     * as often as a large batch needs.
     *
     * @param taskId the task id (correlation id)
     * @param namePrefix the length-prefixed name from {@link TaskRequest#encodeName}
     * @param attempt the attempt number, 1..{@link io.forkpool.PoolOptions#MAX_ATTEMPTS}
     * @param elements holds the inputs, separated by commas
     * @param offset where the first input starts in {@code elements}
     * @param length the length of the range, from the first input's first byte to the last one's last
     * @param count how many inputs the range holds; 1 to {@link TaskRequest#MAX_BATCH_INPUTS}
     * @throws IOException if flushing fails
     * @throws IllegalArgumentException if the attempt or the number of inputs is out of range, or the
     *     payload exceeds {@code maxFrameLength}
     */
    public void appendBatch(long taskId, byte[] namePrefix, int attempt, byte[] elements, int offset, int length,
            int count) throws IOException {
        checkAttempt(attempt);
        if (count < 1 || count > TaskRequest.MAX_BATCH_INPUTS) {
            throw new IllegalArgumentException("a batch holds 1.." + TaskRequest.MAX_BATCH_INPUTS + " inputs: " + count);
        }
        Objects.checkFromIndexSize(offset, length, elements.length);
        startFrame(FrameType.BATCH, taskId, namePrefix.length + 1L + 2 + length); // and the brackets
        put(namePrefix, 0, namePrefix.length);
        put((byte) attempt);
        put((byte) '[');
        put(elements, offset, length);
        put((byte) ']');
    }

    /** Copies bytes into the buffer, flushing it whenever it fills; a part larger than it goes straight out. */
    private void put(byte[] bytes, int offset, int length) throws IOException {
        if (length > buffer.remaining()) {
            flush();
            if (length > buffer.capacity()) {
                writeFully(ByteBuffer.wrap(bytes, offset, length));
                return;
            }
        }
        buffer.put(bytes, offset, length);
    }

    private void put(byte b) throws IOException {
        if (!buffer.hasRemaining()) {
            flush();
        }
        buffer.put(b);
    }

    private static void checkAttempt(int attempt) {
        if (attempt < 1 || attempt > io.forkpool.PoolOptions.MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempt must be in [1, " + io.forkpool.PoolOptions.MAX_ATTEMPTS + "]: "
                    + attempt);
        }
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

    /**
     * Writes all of {@code bytes}. A pending interrupt is set aside for the write and restored after
     * it: an interruptible channel written by an interrupted thread is closed instead of written,
     * which would end the peer's channel for a reason that has nothing to do with it (a caller that
     * restored its interrupt flag, a task thread a cancellation just missed). An interrupt that
     * arrives during the write still closes the channel; threads that are interrupted on purpose
     * must not be interrupted mid-write (see the supervisor's sender).
     */
    private void writeFully(ByteBuffer bytes) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
