package io.forkpool;

import java.util.List;
import java.util.Objects;

/**
 * The task killed its worker on every attempt it was given: it is poison and the pool stopped
 * retrying it. {@link #attempts()} holds one crash report per attempt, in order, each with the
 * worker's pid, how it died and the tail of its output; {@link #getCause()} is the last one.
 */
public final class PoisonTaskException extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    /** The task's id. */
    private final long taskId;
    /** The task's class name. */
    private final String taskClass;
    /** One crash report per attempt, in order; unmodifiable. */
    private final List<WorkerCrashedException> attempts;

    /**
     * Creates the exception.
     *
     * @param taskId the task's id
     * @param taskClass the task's class name
     * @param attempts one crash per attempt, in order; not empty
     */
    public PoisonTaskException(long taskId, String taskClass, List<WorkerCrashedException> attempts) {
        super(message(taskId, taskClass, attempts), attempts.get(attempts.size() - 1));
        this.taskId = taskId;
        this.taskClass = Objects.requireNonNull(taskClass, "taskClass");
        this.attempts = List.copyOf(attempts);
    }

    private static String message(long taskId, String taskClass, List<WorkerCrashedException> attempts) {
        StringBuilder sb = new StringBuilder("poison task: task ").append(taskId).append(" (").append(taskClass)
                .append(") killed its worker on each of its ").append(attempts.size()).append(" attempts");
        for (WorkerCrashedException crash : attempts) {
            sb.append("\n  attempt ").append(crash.attempt()).append(": worker ").append(crash.workerId())
                    .append(" (pid ").append(crash.workerPid()).append(") ").append(crash.exitDescription());
            String tail = crash.outputTail().strip();
            if (!tail.isEmpty()) {
                int from = tail.lastIndexOf('\n', Math.max(0, tail.length() - 400));
                sb.append("; output ends: ").append(tail.substring(from + 1).replace("\n", " | "));
            }
        }
        return sb.toString();
    }

    /** @return the id its last attempt was sent under; {@link #attempts()} name each attempt's own */
    public long taskId() {
        return taskId;
    }

    /** @return the task's class name */
    public String taskClass() {
        return taskClass;
    }

    /** @return one crash report per attempt, in order */
    public List<WorkerCrashedException> attempts() {
        return attempts;
    }
}
