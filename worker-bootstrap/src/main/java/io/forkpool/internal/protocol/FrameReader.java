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
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                decoder.endOfStream();
                return null;
            }
            buffer.flip();
            decoder.decode(buffer, decoded::add);
        }
        return decoded.poll();
    }

    /** @return bytes consumed so far */
    public long bytesConsumed() {
        return decoder.bytesConsumed();
    }
}
