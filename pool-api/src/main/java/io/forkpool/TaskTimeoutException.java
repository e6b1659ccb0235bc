package io.forkpool;

import java.time.Duration;
import java.util.Objects;

/**
 * The task ran longer than its timeout. The pool asked its worker to cancel it and, if the task
 * did not stop within a short grace period, killed and replaced the worker. A timed-out task is
 * never run again by the pool.
 */
public final class TaskTimeoutException extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    /** The task's id. */
    private final long taskId;
    /** The task's class name. */
    private final String taskClass;
    /** The timeout that expired. */
    private final Duration timeout;
    /** The id of the worker that was running the task. */
    private final int workerId;
    /** The process id of the worker that was running the task. */
    private final long workerPid;

    /**
     * Creates the exception.
     *
     * @param taskId the task's id
     * @param taskClass the task's class name
     * @param timeout the timeout that expired
     * @param workerId the worker that was running it
     * @param workerPid that worker's process id
     */
    public TaskTimeoutException(long taskId, String taskClass, Duration timeout, int workerId, long workerPid) {
        super("task " + taskId + " (" + taskClass + ") timed out after " + timeout + " on worker " + workerId
                + " (pid " + workerPid + ")");
        this.taskId = taskId;
        this.taskClass = Objects.requireNonNull(taskClass, "taskClass");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.workerId = workerId;
        this.workerPid = workerPid;
    }

    /** @return the task's id */
    public long taskId() {
        return taskId;
    }

    /** @return the task's class name */
    public String taskClass() {
        return taskClass;
    }

    /** @return the timeout that expired */
    public Duration timeout() {
        return timeout;
    }

    /** @return the id of the worker that was running the task */
    public int workerId() {
        return workerId;
    }

    /** @return the process id of the worker that was running the task */
    public long workerPid() {
        return workerPid;
    }
}
