package io.forkpool.runtime.internal.worker;

import io.forkpool.ExitCause;
import io.forkpool.internal.protocol.WorkerExitCodes;

/** Turns an exit code, and what the pool knows of why the worker ended, into an {@link ExitCause}. */
final class ExitClassifier {

    /** What HotSpot prints when -XX:+ExitOnOutOfMemoryError ends the JVM. */
    static final String OOM_MARKER = "Terminating due to java.lang.OutOfMemoryError";

    private ExitClassifier() {
    }

    /**
     * @param exitCode the process exit code
     * @param endedByPool why the pool ended it, or {@code null} if it ended on its own
     * @param diedBeforeReady whether it never said hello
     * @param outputTail its last output
     */
    static ExitCause classify(int exitCode, ExitCause endedByPool, boolean diedBeforeReady, String outputTail) {
        if (endedByPool != null) {
            return endedByPool;
        }
        if (diedBeforeReady) {
            return ExitCause.STARTUP_FAILURE;
        }
        if (exitCode == WorkerExitCodes.OUT_OF_MEMORY || outputTail.contains(OOM_MARKER)) {
            return ExitCause.OUT_OF_MEMORY;
        }
        if (exitCode > 128 && exitCode < 128 + 65) {
            return ExitCause.SIGNAL;
        }
        return exitCode == 0 ? ExitCause.UNEXPECTED_NORMAL_EXIT : ExitCause.EXIT_CODE;
    }

    /**
     * Whether an exit was somebody else's doing: a signal that processes send one another
     * (SIGHUP, SIGINT, SIGKILL, SIGTERM) ended it, and the pool did not. A worker that crashes by
     * itself dies of SIGSEGV, SIGABRT, SIGBUS or an exit code.
     *
     * @param exitCode the process exit code (128 + the signal for a death by signal)
     * @param endedByPool why the pool ended it, or {@code null} if it did not
     */
    static boolean killedFromOutside(int exitCode, ExitCause endedByPool) {
        if (endedByPool != null) {
            return false;
        }
        int signal = exitCode - 128;
        return signal == 1 || signal == 2 || signal == 9 || signal == 15;
    }
}
