package io.forkpool.demo;

/**
 * The command line is wrong: an unknown option, a missing or malformed value, a value out of
 * range. The message is one line describing the problem, without the program name.
 */
public final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line saying what is wrong with the arguments
     */
    public UsageException(String message) {
        super(message);
    }
}
