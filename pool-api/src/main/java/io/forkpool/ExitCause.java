package io.forkpool;

/**
 * Why a worker process ended, as classified by the supervisor. "We killed it" causes are kept
 * apart from crashes: only the causes for which {@link #isCrash()} is true count as crashes and
 * can make a task poison.
 */
public enum ExitCause {
    /** It exited with a non-zero code of its own accord (e.g. {@code System.exit(1)}). */
    EXIT_CODE(true),
    /** It exited with code 0 although nobody asked it to. */
    UNEXPECTED_NORMAL_EXIT(true),
    /** A signal ended it that the pool did not send (e.g. an outside {@code kill -9}, a SIGSEGV). */
    SIGNAL(true),
    /**
     * It ran out of memory: for the Java worker, HotSpot's {@code -XX:+ExitOnOutOfMemoryError}
     * line is in its output (its exit code 3 alone is not enough: {@code System.exit(3)} gives
     * {@link #EXIT_CODE}); for a foreign worker, it exited with code 3.
     */
    OUT_OF_MEMORY(true),
    /** It broke the protocol (a corrupt or unexpected frame) and the pool killed it. */
    PROTOCOL_VIOLATION(true),
    /** It died, or did not say hello in time, before it ever became ready. */
    STARTUP_FAILURE(true),
    /** The pool killed it because a task it ran timed out or was cancelled and did not stop. */
    KILLED_FOR_TIMEOUT_OR_CANCEL(false),
    /** The pool retired it after its task or heap limit and replaced it first. */
    RETIRED(false),
    /** The pool stopped it while closing. */
    STOPPED(false);

    private final boolean crash;

    ExitCause(boolean crash) {
        this.crash = crash;
    }

    /** @return true if the worker failed on its own (or broke the protocol), false if the pool ended it on purpose */
    public boolean isCrash() {
        return crash;
    }
}
