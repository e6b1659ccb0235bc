package io.forkpool.internal.protocol;

import java.io.IOException;

/**
 * The peer broke the protocol: the byte stream can no longer be trusted and the connection must
 * be dropped. Messages name the numbers involved and show the offending bytes.
 */
public class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, with the numbers and bytes involved
     */
    public ProtocolException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong
     * @param cause the underlying failure (e.g. a JSON parse error)
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Renders bytes as hex for error messages, at most {@code max} of them.
     *
     * @param bytes the bytes
     * @param offset where to start
     * @param length how many are available
     * @param max how many to show at most
     * @return e.g. {@code "7f ff ff ff 01 … (20 bytes)"}
     */
    public static String hex(byte[] bytes, int offset, int length, int max) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(length, max);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(Character.forDigit((bytes[offset + i] >> 4) & 0xF, 16))
                    .append(Character.forDigit(bytes[offset + i] & 0xF, 16));
        }
        if (shown < length) {
            sb.append(" …");
        }
        return sb.append(" (").append(length).append(" bytes)").toString();
    }
}
