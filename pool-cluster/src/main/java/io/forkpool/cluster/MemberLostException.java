package io.forkpool.cluster;

import io.forkpool.ForkPoolException;
import java.util.Objects;

/**
 * A task of a {@link ClusterPool} used up its attempts on cluster members that left, crashed or
 * could not be reached while they held it. Like {@link io.forkpool.WorkerCrashedException} one
 * level up: it is the infrastructure's failure, not the task's.
 */
public final class MemberLostException extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    /** The client-assigned id of the task (a batch's task ids are one per chunk). */
    private final long taskId;
    /** The task's class name. */
    private final String taskClass;
    /** The member that held the task last. */
    private final String member;
    /** Attempts used. */
    private final int attempts;

    /**
     * Creates the exception.
     *
     * @param taskId the client-assigned task id
     * @param taskClass the task's class name
     * @param inputIndex the position in its batch of the first input affected, or -1 for a single task
     * @param member the address of the member that held it last
     * @param attempts the attempts used, the last one on {@code member}
     * @param why what happened to the member, in words
     */
    public MemberLostException(long taskId, String taskClass, int inputIndex, String member, int attempts, String why) {
        super("task " + taskId + " (" + taskClass + ")" + (inputIndex < 0 ? "" : ", from input " + inputIndex
                + " of its batch,") + " was lost with cluster member " + member + " on attempt " + attempts + " of "
                + attempts + ": " + why);
        this.taskId = taskId;
        this.taskClass = Objects.requireNonNull(taskClass, "taskClass");
        this.member = Objects.requireNonNull(member, "member");
        this.attempts = attempts;
    }

    /** @return the client-assigned task id */
    public long taskId() {
        return taskId;
    }

    /** @return the task's class name */
    public String taskClass() {
        return taskClass;
    }

    /** @return the address of the member that held the task last */
    public String member() {
        return member;
    }

    /** @return the attempts used */
    public int attempts() {
        return attempts;
    }
}
