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

    /** The pool-assigned id of the task. */
    private final long taskId;
    /** The task's class name. */
    private final String taskClass;
    /** The id of the worker that ran the task. */
    private final int workerId;
    /** The process id of the worker that ran the task. */
    private final long workerPid;
    /** The class name of the exception the task threw. */
    private final String remoteExceptionClass;
    /** The message of the exception the task threw, or {@code null}. */
    private final String remoteMessage;
    /** The stack trace of the exception the task threw, as printed in the worker, causes included. */
    private final String remoteStackTrace;
    /** The failing input's position in its batch, or -1. */
    private final int inputIndex;

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
        this(taskId, taskClass, -1, workerId, workerPid, remoteExceptionClass, remoteMessage, remoteStackTrace);
    }

    /**
     * Creates the exception for one input of a {@link WorkerPool#submitAll batch}.
     *
     * @param taskId the pool-assigned id of the task (or chunk of inputs) that failed
     * @param taskClass the task's class name
     * @param inputIndex the position of the failing input in the batch's list of inputs, or -1
     * @param workerId the worker's id within the pool
     * @param workerPid the worker's process id
     * @param remoteExceptionClass the class name of the exception thrown in the worker
     * @param remoteMessage its message, or {@code null}
     * @param remoteStackTrace its printed stack trace, including causes
     */
    public TaskFailedException(long taskId, String taskClass, int inputIndex, int workerId, long workerPid,
            String remoteExceptionClass, String remoteMessage, String remoteStackTrace) {
        super("task " + taskId + " (" + taskClass + ") failed"
                + (inputIndex < 0 ? "" : " on input " + inputIndex + " of its batch,") + " on worker " + workerId
                + " (pid " + workerPid + "): " + remoteExceptionClass + (remoteMessage == null ? "" : ": " + remoteMessage));
        this.inputIndex = inputIndex;
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

    /**
     * @return for a task of {@link WorkerPool#submitAll}, the position of the failing input in the
     *     list of inputs; -1 for a task submitted alone
     */
    public int inputIndex() {
        return inputIndex;
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
