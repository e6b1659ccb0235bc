package io.forkpool;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The worker process running the task died or broke the protocol before it answered.
 *
 * <p>This is an infrastructure failure, not the task's own exception. The crash report names the
 * task and attempt, the worker and its pid, how it ended (exit code, or the signal that killed it,
 * and what that means), how long it had been up and how many tasks it had served, and ends with the
 * last lines the worker wrote to its standard output and error.
 */
public final class WorkerCrashedException extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    /** The pool-assigned id of the task that was running. */
    private final long taskId;
    /** The task's class name. */
    private final String taskClass;
    /** Which attempt of the task this was, from 1. */
    private final int attempt;
    /** The id of the worker that died. */
    private final int workerId;
    /** The process id of the worker that died. */
    private final long workerPid;
    /** How the supervisor classified the worker's end. */
    private final ExitCause exitCause;
    /** The process exit code, or {@code null} if unknown. */
    private final Integer exitCode;
    /** How the worker ended, in words. */
    private final String exitDescription;
    /** How long the worker process had run, in milliseconds. */
    private final long uptimeMillis;
    /** Tasks the worker process had answered before it died. */
    private final long tasksServed;
    /** The last lines the worker wrote to stdout and stderr, possibly empty. */
    private final String outputTail;

    /**
     * Creates a crash report.
     *
     * @param taskId the pool-assigned id of the task that was running
     * @param taskClass the task's class name
     * @param attempt which attempt of the task this was, from 1
     * @param workerId the worker's id within the pool
     * @param workerPid the worker's process id
     * @param exitCause how the supervisor classified the end
     * @param exitCode the process exit code, or {@code null} if unknown
     * @param exitDescription how the worker ended, in words (e.g. "killed by signal 9 (SIGKILL)")
     * @param uptimeMillis how long the worker process had run
     * @param tasksServed tasks the worker process had answered before it died
     * @param outputTail the last lines the worker wrote to stdout/stderr, possibly empty
     */
    public WorkerCrashedException(long taskId, String taskClass, int attempt, int workerId, long workerPid,
            ExitCause exitCause, Integer exitCode, String exitDescription, long uptimeMillis, long tasksServed,
            String outputTail) {
        super("worker " + workerId + " (pid " + workerPid + ") died running task " + taskId + " (" + taskClass
                + "), attempt " + attempt + ": " + exitDescription + "; up " + uptimeMillis + " ms, served "
                + tasksServed + " task(s)"
                + (outputTail == null || outputTail.isEmpty()
                        ? "; it wrote no output"
                        : "; last output:\n" + outputTail));
        this.taskId = taskId;
        this.taskClass = Objects.requireNonNull(taskClass, "taskClass");
        this.attempt = attempt;
        this.workerId = workerId;
        this.workerPid = workerPid;
        this.exitCause = Objects.requireNonNull(exitCause, "exitCause");
        this.exitCode = exitCode;
        this.exitDescription = Objects.requireNonNull(exitDescription, "exitDescription");
        this.uptimeMillis = uptimeMillis;
        this.tasksServed = tasksServed;
        this.outputTail = Objects.requireNonNullElse(outputTail, "");
    }

    /** @return the pool-assigned id of the task that was running */
    public long taskId() {
        return taskId;
    }

    /** @return the task's class name */
    public String taskClass() {
        return taskClass;
    }

    /** @return which attempt of the task this was, from 1 */
    public int attempt() {
        return attempt;
    }

    /** @return the id of the worker that died */
    public int workerId() {
        return workerId;
    }

    /** @return the process id of the worker that died */
    public long workerPid() {
        return workerPid;
    }

    /** @return how the supervisor classified the worker's end */
    public ExitCause exitCause() {
        return exitCause;
    }

    /**
     * The worker's exit code as the JDK reports it: on Unix, 128 + n when signal n killed it
     * (137 for SIGKILL).
     *
     * @return the exit code, or empty if unknown
     */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** @return how the worker ended, in words */
    public String exitDescription() {
        return exitDescription;
    }

    /** @return how long the worker process had been running, in milliseconds */
    public long uptimeMillis() {
        return uptimeMillis;
    }

    /** @return how many tasks the worker process had answered before it died */
    public long tasksServed() {
        return tasksServed;
    }

    /** @return the last lines the worker wrote to stdout and stderr (merged), possibly empty */
    public String outputTail() {
        return outputTail;
    }
}
