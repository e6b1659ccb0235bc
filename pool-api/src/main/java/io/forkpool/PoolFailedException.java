package io.forkpool;

/**
 * The pool gave up: its workers kept dying at start-up (a crash loop), so it stopped restarting
 * them rather than fork-looping. Tasks that were waiting complete with this exception, and
 * {@code submit} throws a {@link java.util.concurrent.RejectedExecutionException} caused by it.
 * The message names the last start-up failure and quotes the worker's output.
 */
public final class PoolFailedException extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the pool failed
     */
    public PoolFailedException(String message) {
        super(message);
    }
}
