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
     * Creates the exception from a crash report.
     *
     * @param report what is known about the worker's end
     * @throws NullPointerException if {@code report} is null
     */
    public WorkerCrashedException(CrashReport report) {
        super(message(report));
        this.taskId = report.taskId();
        this.taskClass = report.taskClass();
        this.attempt = report.attempt();
        this.workerId = report.workerId();
        this.workerPid = report.workerPid();
        this.exitCause = report.exitCause();
        this.exitCode = report.exitCode();
        this.exitDescription = report.exitDescription();
        this.uptimeMillis = report.uptimeMillis();
        this.tasksServed = report.tasksServed();
        this.outputTail = report.outputTail();
    }

    private static String message(CrashReport report) {
        Objects.requireNonNull(report, "report");
        return "worker " + report.workerId() + " (pid " + report.workerPid() + ") died running task "
                + report.taskId() + " (" + report.taskClass() + "), attempt " + report.attempt() + ": "
                + report.exitDescription() + "; up " + report.uptimeMillis() + " ms, served " + report.tasksServed()
                + " task(s)"
                + (report.outputTail().isEmpty() ? "; it wrote no output" : "; last output:\n" + report.outputTail());
    }

    /** @return the crash report this exception was made from, every field of it */
    public CrashReport report() {
        return new CrashReport(taskId, taskClass, attempt, workerId, workerPid, exitCause, exitCode, exitDescription,
                uptimeMillis, tasksServed, outputTail);
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
