package io.forkpool;

import java.util.Objects;

/**
 * What a worker reported when a task's own code threw: the fields of a {@link TaskFailedException}.
 *
 * @param taskId the pool-assigned id the failing task (or chunk of inputs) was sent under: the id
 *     its {@link TaskContext#taskId()} showed; a task sent again gets a fresh one each time
 * @param taskClass the task's class name
 * @param inputIndex for a task of {@link WorkerPool#submitAll}, the position of the failing input in
 *     the list of inputs; -1 for a task submitted alone
 * @param workerId the worker's id within the pool
 * @param workerPid the worker's process id
 * @param remoteExceptionClass the class name of the exception thrown in the worker
 * @param remoteMessage its message, or {@code null}
 * @param remoteStackTrace its stack trace as printed in the worker, causes included, possibly empty
 */
public record TaskFailureReport(long taskId, String taskClass, int inputIndex, int workerId, long workerPid,
        String remoteExceptionClass, String remoteMessage, String remoteStackTrace) {

    /**
     * Checks the fields that may not be null.
     *
     * @param taskId the pool-assigned id the failing task (or chunk of inputs) was sent under: the id
 *     its {@link TaskContext#taskId()} showed; a task sent again gets a fresh one each time
     * @param taskClass the task's class name, not null
     * @param inputIndex the position of the failing input in its batch, or -1
     * @param workerId the worker's id within the pool
     * @param workerPid the worker's process id
     * @param remoteExceptionClass the class name of the exception thrown in the worker, not null
     * @param remoteMessage its message, or {@code null}
     * @param remoteStackTrace its printed stack trace; {@code null} is taken as empty
     * @throws NullPointerException if {@code taskClass} or {@code remoteExceptionClass} is null
     */
    public TaskFailureReport {
        Objects.requireNonNull(taskClass, "taskClass");
        Objects.requireNonNull(remoteExceptionClass, "remoteExceptionClass");
        remoteStackTrace = Objects.requireNonNullElse(remoteStackTrace, "");
    }
}
