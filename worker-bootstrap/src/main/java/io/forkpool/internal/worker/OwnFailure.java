package io.forkpool.internal.worker;

/**
 * A failure of the worker's own, not of the task's code, reported under one of the
 * {@code exceptionClass} names PROTOCOL.md 4.2 recommends ({@code forkpool.UnknownTask},
 * {@code forkpool.TaskNotAllowed}, {@code forkpool.OutputNotEncodable}), so that a caller can tell
 * "this worker lacks the task" from "the task threw". It prints under that name, with the Java
 * exception that caused it, if any, as its cause.
 */
final class OwnFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** The name the FAILURE carries as its {@code exceptionClass}. */
    final String protocolName;

    /**
     * @param protocolName the recommended name
     * @param message what failed, naming the task
     * @param cause the Java exception behind it, or {@code null}
     */
    OwnFailure(String protocolName, String message, Throwable cause) {
        super(message, cause);
        this.protocolName = protocolName;
    }

    @Override
    public String toString() {
        return protocolName + ": " + getMessage();
    }
}
