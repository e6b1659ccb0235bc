package io.forkpool.internal.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Reads frames from a blocking channel: one {@code read} call may yield several frames, which are
 * handed out one by one. Not thread-safe; one reading thread per channel.
 */
public final class FrameReader {

    private final ReadableByteChannel channel;
    private final FrameDecoder decoder;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private final ArrayDeque<Frame> decoded = new ArrayDeque<>();
    /** A violation found after frames that are still queued in {@link #decoded}; thrown once they are out. */
    private ProtocolException pendingFailure;

    /**
     * Creates a reader.
     *
     * @param channel a blocking channel
     * @param maxFrameLength the largest payload accepted
     */
    public FrameReader(ReadableByteChannel channel, int maxFrameLength) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.decoder = new FrameDecoder(maxFrameLength);
    }

    /**
     * Returns the next frame, blocking until one has arrived.
     *
     * @return the frame, or {@code null} when the stream ended cleanly at a frame boundary
     * @throws ProtocolException if the stream is corrupt or ended inside a frame
     * @throws IOException if reading fails
     */
    public Frame read() throws IOException {
        while (decoded.isEmpty()) {
            if (pendingFailure != null) {
                ProtocolException failure = pendingFailure;
                pendingFailure = null; // later calls get the decoder's "already failed"
                throw failure;
            }
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                decoder.endOfStream();
                return null;
            }
            buffer.flip();
            try {
                decoder.decode(buffer, decoded::add);
            } catch (ProtocolException e) {
                if (decoded.isEmpty()) {
                    throw e;
                }
                // The frames completed before the bad bytes in this same read are valid and were
                // already handed to us: return them first, then the failure. Throwing at once
                // dropped them, so whether, say, the RESULT in front of a corrupt header reached
                // the caller depended on how the kernel happened to split the stream into reads.
                pendingFailure = e;
            }
        }
        return decoded.poll();
    }

    /**
     * Whether {@link #read} will return (or throw) without reading the channel: frames decoded by
     * an earlier read are waiting, or a violation found behind them is. Never blocks. A frame only
     * partly received does not count.
     *
     * @return true if the next {@link #read} needs no bytes from the channel
     */
    public boolean ready() {
        return !decoded.isEmpty() || pendingFailure != null;
    }

    /** @return bytes consumed so far */
    public long bytesConsumed() {
        return decoder.bytesConsumed();
    }
}
