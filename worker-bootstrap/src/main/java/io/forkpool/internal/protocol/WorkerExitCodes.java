package io.forkpool.internal.protocol;

/**
 * Exit codes a forkpool worker ends with on purpose, so the supervisor can say why it ended.
 * Codes of 128 and above are left to signals (128 + signal number).
 */
public final class WorkerExitCodes {

    /** Told to shut down, or its channel closed cleanly. */
    public static final int NORMAL = 0;
    /**
     * Out of memory. HotSpot's {@code -XX:+ExitOnOutOfMemoryError} exits with 3, but so does any
     * {@code System.exit(3)}: for a Java worker only HotSpot's line in its output says out of
     * memory. A foreign worker exits with 3 only when it ran out of memory (PROTOCOL.md §9).
     */
    public static final int OUT_OF_MEMORY = 3;
    /** The bootstrap line on stdin was missing or invalid. */
    public static final int BAD_BOOTSTRAP = 64;
    /**
     * It could not connect to the supervisor's socket, or the socket failed (a read or write error,
     * its descriptor closed under it), or the worker's own code failed while it served (never a
     * task's exception, which is answered). Before its hello only the first two can happen, so
     * {@link #describe(int, boolean, boolean, boolean)} tells the two cases apart by the hello.
     */
    public static final int CHANNEL_FAILED = 65;
    /** The supervisor broke the protocol (corrupt frame, unexpected message). */
    public static final int PROTOCOL_ERROR = 66;
    /** Its standard input (the lifeline to the supervisor) closed: the supervisor is gone. */
    public static final int LIFELINE_LOST = 67;

    private WorkerExitCodes() {
    }

    /**
     * Describes an exit code in words, as far as what the supervisor saw of the worker tells.
     *
     * @param code the exit code as the JDK reports it
     * @param outOfMemory whether the worker is known to have run out of memory
     * @param jvmWorker whether it is the Java worker, whose out-of-memory exit is the JVM's flag
     * @param saidHello whether the supervisor accepted its hello: a worker that did had connected,
     *     so its 65 is a failed socket or its own code's failure, never "could not connect"
     * @return e.g. "killed by signal 9 (SIGKILL)" or "exited with code 66 (protocol error)"
     */
    public static String describe(int code, boolean outOfMemory, boolean jvmWorker, boolean saidHello) {
        if (code == OUT_OF_MEMORY) {
            return "exited with code 3" + (!outOfMemory ? ""
                    : jvmWorker ? " (out of memory: -XX:+ExitOnOutOfMemoryError)" : " (out of memory)");
        }
        if (code == CHANNEL_FAILED) {
            return "exited with code 65 (" + (saidHello
                    ? "its socket to the supervisor failed, or the worker's own code failed; its output says which"
                    : "could not connect to the supervisor, or its socket failed before its hello") + ")";
        }
        return describe(code);
    }

    /**
     * Describes an exit code in words, saying nothing of memory for code 3.
     *
     * @param code the exit code as the JDK reports it
     * @return e.g. "killed by signal 9 (SIGKILL)" or "exited with code 66 (protocol error)"
     */
    public static String describe(int code) {
        if (code > 128 && code < 128 + 65) {
            int signal = code - 128;
            return "killed by signal " + signal + signalName(signal) + " (exit code " + code + ")";
        }
        String meaning;
        switch (code) {
            case NORMAL: meaning = " (normal exit)"; break;
            case BAD_BOOTSTRAP: meaning = " (invalid bootstrap line on stdin)"; break;
            case CHANNEL_FAILED: meaning = " (could not connect to the supervisor, its socket failed, or the worker's own code failed)"; break;
            case PROTOCOL_ERROR: meaning = " (the worker saw a protocol error)"; break;
            case LIFELINE_LOST: meaning = " (its lifeline to the supervisor closed)"; break;
            default: meaning = "";
        }
        return "exited with code " + code + meaning;
    }

    private static String signalName(int signal) {
        switch (signal) {
            case 1: return " (SIGHUP)";
            case 2: return " (SIGINT)";
            case 3: return " (SIGQUIT)";
            case 4: return " (SIGILL)";
            case 6: return " (SIGABRT)";
            case 7: return " (SIGBUS)";
            case 8: return " (SIGFPE)";
            case 9: return " (SIGKILL)";
            case 11: return " (SIGSEGV)";
            case 13: return " (SIGPIPE)";
            case 15: return " (SIGTERM)";
            default: return "";
        }
    }
}
