package io.forkpool;

/**
 * The root of the exceptions forkpool completes futures with or throws.
 *
 * <p>Subtypes tell apart "the task threw" ({@link TaskFailedException}) from "its input or output
 * could not cross the process boundary" ({@link TaskDataException}), "the worker process died"
 * ({@link WorkerCrashedException}) and "the pool could not start its workers"
 * ({@link PoolStartupException}).
 */
public class ForkPoolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong
     */
    public ForkPoolException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public ForkPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
