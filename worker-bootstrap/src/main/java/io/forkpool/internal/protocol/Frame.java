package io.forkpool.internal.protocol;

import java.util.Objects;

/**
 * One decoded frame. The payload array is owned by the frame and not copied; do not modify it.
 *
 * @param type the message type byte, 0..255 ({@link FrameType})
 * @param correlationId the task id the frame belongs to, or 0
 * @param payload the payload bytes, possibly empty
 */
public record Frame(int type, long correlationId, byte[] payload) {

    /** A shared empty payload. */
    public static final byte[] EMPTY = new byte[0];

    /**
     * Validates the fields.
     *
     * @param type 0..255
     * @param correlationId any value
     * @param payload not null; kept, not copied
     * @throws IllegalArgumentException if {@code type} is not a byte
     */
    public Frame {
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("type must be a byte: " + type);
        }
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public String toString() {
        return FrameType.name(type) + "[id=" + correlationId + ", " + payload.length + " bytes]";
    }
}
