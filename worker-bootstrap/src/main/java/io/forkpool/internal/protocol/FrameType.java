package io.forkpool.internal.protocol;

/**
 * The message types of protocol version 1, one byte in the frame header. See docs/PROTOCOL.md,
 * which is normative; this class only names the numbers.
 */
public final class FrameType {

    /** Worker → supervisor, first frame on the channel; JSON {@link Messages.Hello}; correlation id 0. */
    public static final int HELLO = 0x01;
    /** Supervisor → worker: run a task; correlation id = task id; payload see {@link TaskRequest}. */
    public static final int TASK = 0x10;
    /** Worker → supervisor: the task's output as a JSON document; correlation id = task id. */
    public static final int RESULT = 0x11;
    /** Worker → supervisor: the task threw; JSON {@link Messages.TaskFailure}; correlation id = task id. */
    public static final int FAILURE = 0x12;
    /** Supervisor → worker: cancel this task (interrupt it, or skip it if not started); empty. */
    public static final int CANCEL = 0x13;
    /**
     * Supervisor → worker, only to a worker that announced {@link Messages#FEATURE_BATCH}: run a task
     * once per input; correlation id = task id; payload see {@link TaskRequest}, its input a JSON array.
     */
    public static final int BATCH = 0x14;
    /** Supervisor → worker: finish the tasks received, then exit 0; empty; correlation id 0. */
    public static final int SHUTDOWN = 0x20;
    /**
     * Supervisor → worker, only to a worker that announced {@link Messages#FEATURE_PING}: are you
     * alive? Correlation id = a probe number the supervisor chooses; empty. The worker answers at
     * once with {@link #PONG}, also while a task runs.
     */
    public static final int PING = 0x21;
    /** Worker → supervisor: heap use after a task; JSON {@link Messages.Status}; correlation id 0. */
    public static final int STATUS = 0x30;
    /** Worker → supervisor: the answer to a {@link #PING}, with its correlation id; empty. */
    public static final int PONG = 0x31;

    private FrameType() {
    }

    /**
     * Names a type byte for error messages.
     *
     * @param type the type byte, 0..255
     * @return its name, or {@code UNKNOWN(0x..)}
     */
    public static String name(int type) {
        switch (type) {
            case HELLO: return "HELLO";
            case TASK: return "TASK";
            case RESULT: return "RESULT";
            case FAILURE: return "FAILURE";
            case CANCEL: return "CANCEL";
            case BATCH: return "BATCH";
            case SHUTDOWN: return "SHUTDOWN";
            case STATUS: return "STATUS";
            case PING: return "PING";
            case PONG: return "PONG";
            default: return String.format("UNKNOWN(0x%02x)", type);
        }
    }
}
