package io.forkpool;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The worker process running the task died or broke its protocol before it answered.
 *
 * <p>This is an infrastructure failure, not the task's own exception: the message names the
 * worker, its pid, how it ended (exit code, or the signal that killed it) and ends with the
 * last lines the worker wrote to its standard output and error.
 */
public final class WorkerCrashedException extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    private final long taskId;
    private final String taskClass;
    private final int workerId;
    private final long workerPid;
    private final Integer exitCode;
    private final String exitDescription;
    private final String outputTail;

    /**
     * Creates a crash report.
     *
     * @param taskId the pool-assigned id of the task that was in flight
     * @param taskClass the task's class name
     * @param workerId the worker's id within the pool
     * @param workerPid the worker's process id
     * @param exitCode the process exit code, or {@code null} if the process had not exited
     * @param exitDescription how the worker ended, in words (e.g. "killed by SIGKILL")
     * @param outputTail the last lines the worker wrote to stdout/stderr, possibly empty
     */
    public WorkerCrashedException(long taskId, String taskClass, int workerId, long workerPid,
            Integer exitCode, String exitDescription, String outputTail) {
        super("worker " + workerId + " (pid " + workerPid + ") died running task " + taskId
                + " (" + taskClass + "): " + exitDescription
                + (outputTail == null || outputTail.isEmpty()
                        ? "; it wrote no output"
                        : "; last output:\n" + outputTail));
        this.taskId = taskId;
        this.taskClass = Objects.requireNonNull(taskClass, "taskClass");
        this.workerId = workerId;
        this.workerPid = workerPid;
        this.exitCode = exitCode;
        this.exitDescription = Objects.requireNonNull(exitDescription, "exitDescription");
        this.outputTail = Objects.requireNonNullElse(outputTail, "");
    }

    /** @return the pool-assigned id of the task that was in flight */
    public long taskId() {
        return taskId;
    }

    /** @return the task's class name */
    public String taskClass() {
        return taskClass;
    }

    /** @return the id of the worker that died */
    public int workerId() {
        return workerId;
    }

    /** @return the process id of the worker that died */
    public long workerPid() {
        return workerPid;
    }

    /**
     * The worker's exit code as the JDK reports it: on Unix, 128 + n when signal n killed it
     * (137 for SIGKILL).
     *
     * @return the exit code, or empty when the worker broke the protocol and was still running
     */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** @return how the worker ended, in words */
    public String exitDescription() {
        return exitDescription;
    }

    /** @return the last lines the worker wrote to stdout and stderr (merged), possibly empty */
    public String outputTail() {
        return outputTail;
    }
}
