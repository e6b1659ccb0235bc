package io.forkpool;

import java.util.Objects;

/**
 * What the supervisor knows about a worker that died or broke the protocol while running a task:
 * the fields of a {@link WorkerCrashedException}.
 *
 * @param taskId the pool-assigned id the running task was sent under for this attempt (each
 *     attempt is sent under a fresh one, as its {@link TaskContext#taskId()} shows)
 * @param taskClass the task's class name
 * @param attempt which attempt of the task this was, from 1
 * @param workerId the worker's id within the pool
 * @param workerPid the worker's process id
 * @param exitCause how the supervisor classified the end
 * @param exitCode the process exit code, or {@code null} if unknown
 * @param exitDescription how the worker ended, in words (e.g. "killed by signal 9 (SIGKILL)")
 * @param uptimeMillis how long the worker process had run, in milliseconds
 * @param tasksServed tasks the worker process had answered before it died
 * @param outputTail the last lines the worker wrote to stdout and stderr (merged), possibly empty
 */
public record CrashReport(long taskId, String taskClass, int attempt, int workerId, long workerPid,
        ExitCause exitCause, Integer exitCode, String exitDescription, long uptimeMillis, long tasksServed,
        String outputTail) {

    /**
     * Checks the fields that may not be null.
     *
     * @param taskId the pool-assigned id the running task was sent under for this attempt (each
 *     attempt is sent under a fresh one, as its {@link TaskContext#taskId()} shows)
     * @param taskClass the task's class name, not null
     * @param attempt which attempt of the task this was, from 1
     * @param workerId the worker's id within the pool
     * @param workerPid the worker's process id
     * @param exitCause how the supervisor classified the end, not null
     * @param exitCode the process exit code, or {@code null} if unknown
     * @param exitDescription how the worker ended, in words, not null
     * @param uptimeMillis how long the worker process had run, in milliseconds
     * @param tasksServed tasks the worker process had answered before it died
     * @param outputTail the last lines the worker wrote; {@code null} is taken as empty
     * @throws NullPointerException if {@code taskClass}, {@code exitCause} or {@code exitDescription} is null
     */
    public CrashReport {
        Objects.requireNonNull(taskClass, "taskClass");
        Objects.requireNonNull(exitCause, "exitCause");
        Objects.requireNonNull(exitDescription, "exitDescription");
        outputTail = Objects.requireNonNullElse(outputTail, "");
    }
}
