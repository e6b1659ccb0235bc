package io.forkpool.internal.protocol;

/** A frame header announced a payload longer than the configured maximum, or a negative one. */
public final class FrameTooLongException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the announced length, the maximum and the header bytes
     */
    public FrameTooLongException(String message) {
        super(message);
    }
}
