package io.forkpool;

/**
 * The pool could not bring its workers up: the java executable is missing, a JVM option is
 * rejected, the worker class is not on the classpath, a worker exited during start-up, spoke an
 * unsupported protocol version, or did not say hello within the start-up timeout.
 *
 * <p>Thrown by {@link WorkerPoolBuilder#build()}; the message quotes the worker's own output.
 */
public final class PoolStartupException extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, with the worker's last output
     * @param cause the underlying failure, or {@code null}
     */
    public PoolStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
