package io.forkpool;

import java.util.Locale;
import java.util.Objects;

/**
 * A task's data could not cross the process boundary: its input could not be decoded in the
 * worker as the task's input type (the task never ran), or its output could not be encoded in the
 * worker, or decoded by the pool as the task's output type (the task ran, its output is lost).
 * Unlike a {@link TaskFailedException}, the task's own code did not throw: the fault is in the
 * data's type (a class Jackson cannot create, such as a POJO without a creator, or an
 * interface-typed field), and running the task again would fail the same way.
 *
 * <p>Most inputs that cannot be decoded never get this far: {@code submit} decodes the first
 * input of each class as the declared input type and throws {@link IllegalArgumentException} at
 * once if it does not decode. This exception covers what that check cannot see (a later input of
 * the same class whose values do not decode, inputs sent as encoded documents, a worker whose
 * classes differ) and every output.
 *
 * <p>The remote exception object itself does not cross the process boundary; its class name,
 * message and printed stack trace do, as for {@link TaskFailedException}. When the pool itself
 * found the fault (an output it could not decode), the worker id and pid are -1 and the
 * exception is the cause.
 */
public final class TaskDataException extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    /** Which of the task's data could not cross. */
    public enum Direction {
        /** The input could not be decoded in the worker: the task never ran. */
        INPUT,
        /** The output could not be encoded in the worker, or decoded by the pool: the task ran. */
        OUTPUT
    }

    /** Which of the task's data could not cross. */
    private final Direction direction;
    /** The type the data was to be decoded as, or {@code null} if unknown. */
    private final String declaredType;
    /** The pool-assigned id of the task. */
    private final long taskId;
    /** The task's name. */
    private final String taskClass;
    /** The input's position in its batch, or -1. */
    private final int inputIndex;
    /** The worker that found the fault, or -1. */
    private final int workerId;
    /** That worker's process id, or -1. */
    private final long workerPid;
    /** The class name of the exception that reported the fault. */
    private final String remoteExceptionClass;
    /** Its message, or {@code null}. */
    private final String remoteMessage;
    /** Its stack trace as printed where it was thrown, possibly empty. */
    private final String remoteStackTrace;

    /**
     * Creates the exception from what a worker, or the pool, reported.
     *
     * @param direction whether the input or the output could not cross; not null
     * @param declaredType the type the data was to be decoded as (its Java type, e.g.
     *     {@code [simple type, class x.Range]} or {@code x.Range}), or {@code null} if unknown
     * @param report the task, the worker that found the fault (-1 and -1 when the pool found it),
     *     and the exception that reported it
     * @throws NullPointerException if {@code direction} or {@code report} is null
     */
    public TaskDataException(Direction direction, String declaredType, TaskFailureReport report) {
        super(message(direction, declaredType, report));
        this.direction = direction;
        this.declaredType = declaredType;
        this.taskId = report.taskId();
        this.taskClass = report.taskClass();
        this.inputIndex = report.inputIndex();
        this.workerId = report.workerId();
        this.workerPid = report.workerPid();
        this.remoteExceptionClass = report.remoteExceptionClass();
        this.remoteMessage = report.remoteMessage();
        this.remoteStackTrace = report.remoteStackTrace();
    }

    private static String message(Direction direction, String declaredType, TaskFailureReport report) {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(report, "report");
        String data = direction.name().toLowerCase(Locale.ROOT);
        String what = (report.inputIndex() < 0 ? "the " + data : data + " " + report.inputIndex()) + " of task "
                + report.taskId() + " (" + report.taskClass() + ")";
        boolean byPool = report.workerPid() < 0;
        String verb = direction == Direction.OUTPUT && !byPool ? " could not be encoded" : " could not be decoded";
        String where = byPool ? " by the pool"
                : " in worker " + report.workerId() + " (pid " + report.workerPid() + ")";
        return what + verb + (declaredType == null ? "" : " as " + declaredType) + where
                + (direction == Direction.INPUT ? ", so the task never ran: " : ": ") + report.remoteExceptionClass()
                + (report.remoteMessage() == null ? "" : ": " + report.remoteMessage());
    }

    /** @return whether the input or the output could not cross */
    public Direction direction() {
        return direction;
    }

    /** @return the type the data was to be decoded as, for messages, or {@code null} if unknown */
    public String declaredType() {
        return declaredType;
    }

    /**
     * @return the task, the worker and the exception that reported the fault, as a report; its
     *     exception is the one that reported the fault, not one the task threw
     */
    public TaskFailureReport report() {
        return new TaskFailureReport(taskId, taskClass, inputIndex, workerId, workerPid, remoteExceptionClass,
                remoteMessage, remoteStackTrace);
    }

    /** @return the pool-assigned id of the task */
    public long taskId() {
        return taskId;
    }

    /** @return the task's name */
    public String taskClass() {
        return taskClass;
    }

    /**
     * @return for a task of {@link WorkerPool#submitAll}, the position of the input whose data
     *     could not cross, in the list of inputs; -1 for a task submitted alone
     */
    public int inputIndex() {
        return inputIndex;
    }

    /** @return the id of the worker that found the fault, or -1 if the pool found it */
    public int workerId() {
        return workerId;
    }

    /** @return the process id of the worker that found the fault, or -1 if the pool found it */
    public long workerPid() {
        return workerPid;
    }

    /** @return the class name of the exception that reported the fault, e.g. a Jackson exception's */
    public String remoteExceptionClass() {
        return remoteExceptionClass;
    }

    /** @return the message of the exception that reported the fault, or {@code null} */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** @return its stack trace as printed where it was thrown, causes included; possibly empty */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
