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
     * Out of memory is read from what only an out-of-memory death leaves: for a Java worker the
     * line HotSpot prints ({@link #OOM_MARKER}), since exit code 3 is also any {@code System.exit(3)};
     * for a foreign worker exit code 3, which the protocol reserves for it.
     *
     * @param exitCode the process exit code
     * @param endedByPool why the pool ended it, or {@code null} if it ended on its own
     * @param diedBeforeReady whether it never said hello
     * @param outputTail its last output
     * @param jvmWorker whether it is the Java worker (no {@code workerCommand})
     */
    static ExitCause classify(int exitCode, ExitCause endedByPool, boolean diedBeforeReady, String outputTail,
            boolean jvmWorker) {
        if (endedByPool != null) {
            return endedByPool;
        }
        if (diedBeforeReady) {
            return ExitCause.STARTUP_FAILURE;
        }
        if (jvmWorker ? outputTail.contains(OOM_MARKER) : exitCode == WorkerExitCodes.OUT_OF_MEMORY) {
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
