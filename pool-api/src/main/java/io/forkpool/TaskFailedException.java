package io.forkpool;

import java.util.Objects;

/**
 * The task's own code threw inside the worker; the worker process is healthy and serves on.
 *
 * <p>The remote exception object itself does not cross the process boundary (that would need
 * class names in the payload); its class name, message and printed stack trace do.
 */
public final class TaskFailedException extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    private final long taskId;
    private final String taskClass;
    private final int workerId;
    private final long workerPid;
    private final String remoteExceptionClass;
    private final String remoteMessage;
    private final String remoteStackTrace;

    /**
     * Creates the exception from what the worker reported.
     *
     * @param taskId the pool-assigned task id
     * @param taskClass the task's class name
     * @param workerId the worker's id within the pool
     * @param workerPid the worker's process id
     * @param remoteExceptionClass the class name of the exception thrown in the worker
     * @param remoteMessage its message, or {@code null}
     * @param remoteStackTrace its printed stack trace, including causes
     */
    public TaskFailedException(long taskId, String taskClass, int workerId, long workerPid,
            String remoteExceptionClass, String remoteMessage, String remoteStackTrace) {
        super("task " + taskId + " (" + taskClass + ") failed on worker " + workerId + " (pid "
                + workerPid + "): " + remoteExceptionClass
                + (remoteMessage == null ? "" : ": " + remoteMessage));
        this.taskId = taskId;
        this.taskClass = Objects.requireNonNull(taskClass, "taskClass");
        this.workerId = workerId;
        this.workerPid = workerPid;
        this.remoteExceptionClass = Objects.requireNonNull(remoteExceptionClass, "remoteExceptionClass");
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = Objects.requireNonNullElse(remoteStackTrace, "");
    }

    /** @return the pool-assigned id of the task */
    public long taskId() {
        return taskId;
    }

    /** @return the task's class name */
    public String taskClass() {
        return taskClass;
    }

    /** @return the id of the worker that ran the task */
    public int workerId() {
        return workerId;
    }

    /** @return the process id of the worker that ran the task */
    public long workerPid() {
        return workerPid;
    }

    /** @return the class name of the exception the task threw, e.g. {@code java.lang.ArithmeticException} */
    public String remoteExceptionClass() {
        return remoteExceptionClass;
    }

    /** @return the message of the exception the task threw, or {@code null} */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** @return the remote stack trace as printed in the worker, causes included */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
