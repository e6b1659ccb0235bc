package io.forkpool.runtime.internal.ledger;

import tools.jackson.databind.DatabindException;

/**
 * One output of a chunk's RESULT does not decode as the task's output type: which one, and the
 * Jackson exception that says why (its cause, whose message this carries unchanged).
 */
public final class UndecodableOutputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The output's position in the chunk, from 0. */
    private final int index;

    /**
     * @param index the output's position in the chunk, from 0
     * @param cause why it does not decode
     */
    UndecodableOutputException(int index, DatabindException cause) {
        super(cause.getMessage(), cause);
        this.index = index;
    }

    /** @return the output's position in the chunk, from 0 */
    public int index() {
        return index;
    }

    /** @return the message of the Jackson exception, without the location Jackson appends */
    public String originalMessage() {
        return ((DatabindException) getCause()).getOriginalMessage();
    }
}
