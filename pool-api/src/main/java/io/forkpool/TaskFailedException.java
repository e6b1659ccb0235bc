package io.forkpool;

import java.util.Objects;

/**
 * The task's own code threw inside the worker; the worker process is healthy and serves on.
 *
 * <p>The remote exception object itself does not cross the process boundary (that would need
 * class names in the payload); its class name, message and printed stack trace do.
 *
 * <p>When the worker could not run the task at all, {@link #remoteExceptionClass()} is one of the
 * names docs/PROTOCOL.md 4.2 recommends for a worker's own failures, which the Java worker uses: {@link #UNKNOWN_TASK} when the worker has no task by that name, and
 * {@link #TASK_NOT_ALLOWED} when the allow-list refused it. A task's own exception never has them.
 */
public final class TaskFailedException extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    /**
     * The {@link #remoteExceptionClass()} of a task the worker does not have: no task is
     * registered under its name (for the Java worker: no such class or method, or one that cannot
     * run as a task).
     */
    public static final String UNKNOWN_TASK = "forkpool.UnknownTask";

    /** The {@link #remoteExceptionClass()} of a task whose name the worker's allow-list refused; nothing was loaded. */
    public static final String TASK_NOT_ALLOWED = "forkpool.TaskNotAllowed";

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
     * @param report the task, the worker, and the exception the task threw there
     * @throws NullPointerException if {@code report} is null
     */
    public TaskFailedException(TaskFailureReport report) {
        super(message(report));
        this.taskId = report.taskId();
        this.taskClass = report.taskClass();
        this.inputIndex = report.inputIndex();
        this.workerId = report.workerId();
        this.workerPid = report.workerPid();
        this.remoteExceptionClass = report.remoteExceptionClass();
        this.remoteMessage = report.remoteMessage();
        this.remoteStackTrace = report.remoteStackTrace();
    }

    private static String message(TaskFailureReport report) {
        Objects.requireNonNull(report, "report");
        return "task " + report.taskId() + " (" + report.taskClass() + ") failed"
                + (report.inputIndex() < 0 ? "" : " on input " + report.inputIndex() + " of its batch,")
                + " on worker " + report.workerId() + " (pid " + report.workerPid() + "): "
                + report.remoteExceptionClass() + (report.remoteMessage() == null ? "" : ": " + report.remoteMessage());
    }

    /** @return the failure report this exception was made from, every field of it */
    public TaskFailureReport report() {
        return new TaskFailureReport(taskId, taskClass, inputIndex, workerId, workerPid, remoteExceptionClass,
                remoteMessage, remoteStackTrace);
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
