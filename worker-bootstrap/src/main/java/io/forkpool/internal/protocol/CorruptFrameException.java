package io.forkpool.internal.protocol;

/** The byte stream does not form valid frames (bad flags, end of stream inside a frame…). */
public final class CorruptFrameException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, with the bytes
     */
    public CorruptFrameException(String message) {
        super(message);
    }
}
