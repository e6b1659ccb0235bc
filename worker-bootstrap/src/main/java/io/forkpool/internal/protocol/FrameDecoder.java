package io.forkpool.internal.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Turns a byte stream, fed in chunks of any size, into {@link Frame}s.
 *
 * <pre>
 *  0               4       5       6                               14
 * +---------------+-------+-------+-------------------------------+----------------+
 * | length (u32)  | type  | flags | correlation id (i64)          | payload ...    |
 * +---------------+-------+-------+-------------------------------+----------------+
 *   big-endian; length counts payload bytes only; flags must be 0 in version 1
 * </pre>
 *
 * <p>The decoder knows nothing about what frames carry. It validates the announced length
 * against {@code maxFrameLength} <em>before</em> allocating anything, and grows the payload
 * buffer as bytes actually arrive, so a header that lies about its length costs at most the bytes
 * really sent. After the first error the decoder is unusable: a private pipe that carried one
 * corrupt frame is out of sync for good. Not thread-safe.
 */
public final class FrameDecoder {

    /** Bytes in a frame header. */
    public static final int HEADER_LENGTH = 14;

    /** The payload buffer starts at most this large and doubles as bytes arrive. */
    private static final int INITIAL_PAYLOAD_CAPACITY = 64 * 1024;

    private final int maxFrameLength;
    private final byte[] header = new byte[HEADER_LENGTH];
    private int headerFilled;
    private long bytesConsumed;
    private boolean failed;

    // The frame being assembled; payload == null while reading a header.
    private int type;
    private long correlationId;
    private int payloadLength;
    private byte[] payload;
    private int payloadFilled;

    /**
     * Creates a decoder.
     *
     * @param maxFrameLength the largest payload accepted, in bytes; positive
     */
    public FrameDecoder(int maxFrameLength) {
        if (maxFrameLength <= 0) {
            throw new IllegalArgumentException("maxFrameLength must be positive: " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * Consumes every remaining byte of {@code in} and hands each completed frame to {@code sink},
     * in order.
     *
     * @param in the next bytes of the stream
     * @param sink receives complete frames
     * @throws ProtocolException if the bytes are not a valid frame stream; the decoder is then failed
     */
    public void decode(ByteBuffer in, Consumer<Frame> sink) throws ProtocolException {
        if (failed) {
            throw new CorruptFrameException("decoder already failed; the stream is out of sync");
        }
        while (in.hasRemaining()) {
            if (payload == null) {
                int n = Math.min(in.remaining(), HEADER_LENGTH - headerFilled);
                in.get(header, headerFilled, n);
                headerFilled += n;
                bytesConsumed += n;
                if (headerFilled < HEADER_LENGTH) {
                    return;
                }
                headerFilled = 0;
                startFrame(sink, in.remaining());
            } else {
                int n = Math.min(in.remaining(), payloadLength - payloadFilled);
                ensurePayloadCapacity(payloadFilled + n);
                in.get(payload, payloadFilled, n);
                payloadFilled += n;
                bytesConsumed += n;
                if (payloadFilled == payloadLength) {
                    byte[] complete = payload.length == payloadLength ? payload : Arrays.copyOf(payload, payloadLength);
                    payload = null;
                    sink.accept(new Frame(type, correlationId, complete));
                }
            }
        }
    }

    /**
     * Validates a complete header and prepares the payload buffer: at most
     * {@link #INITIAL_PAYLOAD_CAPACITY}, or twice the bytes already at hand if more, so a header
     * that lies costs at most twice what was really sent, while a frame that arrives in one or two
     * reads is usually assembled in one array, not copied into a larger one.
     */
    private void startFrame(Consumer<Frame> sink, int available) throws ProtocolException {
        int length = readInt(header, 0);
        int flags = header[5] & 0xFF;
        if (length < 0) {
            failOnNegativeLength(length);
        }
        if (length > maxFrameLength) {
            failOnTooLongFrame(length);
        }
        if (flags != 0) {
            failOnFlags(flags);
        }
        int frameType = header[4] & 0xFF;
        long id = readLong(header, 6);
        if (length == 0) {
            sink.accept(new Frame(frameType, id, Frame.EMPTY));
            return;
        }
        type = frameType;
        correlationId = id;
        payloadLength = length;
        payloadFilled = 0;
        payload = new byte[(int) Math.min(length, Math.max(INITIAL_PAYLOAD_CAPACITY, 2L * available))];
    }

    private void ensurePayloadCapacity(int needed) {
        if (needed > payload.length) {
            int grown = (int) Math.min(payloadLength, Math.max(needed, 2L * payload.length));
            payload = Arrays.copyOf(payload, grown);
        }
    }

    /**
     * Tells the decoder the stream has ended.
     *
     * @throws ProtocolException if the stream ended inside a frame, or the decoder had already failed
     */
    public void endOfStream() throws ProtocolException {
        if (failed) {
            // A failed decoder is unusable (see the class comment), and that includes this call: it
            // used to return normally here, i.e. report a clean end for a stream it had rejected
            // (FrameReader.read() then returned null, "ended cleanly", when called again after a
            // ProtocolException on a channel at end of stream).
            throw new CorruptFrameException("decoder already failed; the stream is out of sync");
        }
        if (payload != null || headerFilled > 0) {
            failed = true;
            String where = payload != null
                    ? "after " + payloadFilled + " of " + payloadLength + " payload bytes of a "
                            + FrameType.name(type) + " frame"
                    : "after " + headerFilled + " of " + HEADER_LENGTH + " header bytes: "
                            + ProtocolException.hex(header, 0, headerFilled, HEADER_LENGTH);
            throw new CorruptFrameException("end of stream inside a frame, " + where);
        }
    }

    /** @return true if no partial frame is buffered */
    public boolean atFrameBoundary() {
        return payload == null && headerFilled == 0;
    }

    /** @return bytes consumed so far, for error reports */
    public long bytesConsumed() {
        return bytesConsumed;
    }

    private void failOnNegativeLength(int length) throws ProtocolException {
        failed = true;
        throw new FrameTooLongException("negative frame length " + length + " at stream offset "
                + (bytesConsumed - HEADER_LENGTH) + "; header " + headerHex());
    }

    private void failOnTooLongFrame(int length) throws ProtocolException {
        failed = true;
        throw new FrameTooLongException("frame length " + length + " exceeds " + maxFrameLength
                + " at stream offset " + (bytesConsumed - HEADER_LENGTH) + "; header " + headerHex());
    }

    private void failOnFlags(int flags) throws ProtocolException {
        failed = true;
        throw new CorruptFrameException("frame flags must be 0, got 0x" + Integer.toHexString(flags)
                + " at stream offset " + (bytesConsumed - HEADER_LENGTH) + "; header " + headerHex());
    }

    private String headerHex() {
        return ProtocolException.hex(header, 0, HEADER_LENGTH, HEADER_LENGTH);
    }

    static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    static long readLong(byte[] b, int at) {
        return (long) readInt(b, at) << 32 | (readInt(b, at + 4) & 0xFFFFFFFFL);
    }
}
