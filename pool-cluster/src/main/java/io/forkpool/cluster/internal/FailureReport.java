package io.forkpool.cluster.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.forkpool.CrashReport;
import io.forkpool.ExitCause;
import io.forkpool.ForkPoolException;
import io.forkpool.PoisonTaskException;
import io.forkpool.PoolFailedException;
import io.forkpool.TaskDataException;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskFailureReport;
import io.forkpool.TaskTimeoutException;
import io.forkpool.WorkerCrashedException;
import io.forkpool.cluster.RemoteOrigin;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;

/**
 * How a chunk failed on a member, in fields rather than a serialized exception: the member turns
 * its local pool's exception into one ({@link #of}), the client turns it back into an exception of
 * the same type ({@link #toException}), with the client's task id, the batch's input index and a
 * {@link RemoteOrigin} naming the member as its cause (a poison task's: its last attempt's cause).
 */
final class FailureReport {

    /** What kind of failure; its ordinal travels. */
    enum Kind {
        /** The task threw: {@link TaskFailedException}. */
        TASK_FAILED,
        /** An attempt ran past its timeout: {@link TaskTimeoutException}. */
        TIMED_OUT,
        /** The worker died on the last attempt: {@link WorkerCrashedException}. */
        CRASHED,
        /** The task killed a worker on every attempt: {@link PoisonTaskException}. */
        POISON,
        /** The member's local pool cancelled it (the member is closing, or the client asked). */
        CANCELLED,
        /** The task cannot run on that member (unknown class, refused name): a plain {@link ForkPoolException}. */
        REFUSED,
        /** The member cannot run anything now (its pool failed or is closing): run it elsewhere. */
        UNAVAILABLE,
        /** An input did not decode in the member's worker; the task never ran: {@link TaskDataException}. */
        DATA_INPUT,
        /** An output could not be encoded in the member's worker: {@link TaskDataException}. */
        DATA_OUTPUT
    }

    private static final int MAX_CRASHES = 100;

    final Kind kind;
    /** The member's local task id, or -1. */
    final long localTaskId;
    /** The failing input's position in the chunk, or -1 if the failure names none. */
    final int inputOffset;
    final int workerId;
    final long workerPid;
    /** The remote exception class, or the timeout in milliseconds as text, or the message. */
    final String remoteClass;
    final String message;
    final String stackTrace;
    final long timeoutMillis;
    /** A poison task's attempts, or the one crash. */
    final List<Crash> crashes;

    /** One {@link WorkerCrashedException}'s fields. */
    record Crash(long taskId, int attempt, int workerId, long workerPid, ExitCause exitCause, Integer exitCode,
            String exitDescription, long uptimeMillis, long tasksServed, String outputTail) {

        static Crash of(WorkerCrashedException e) {
            return new Crash(e.taskId(), e.attempt(), e.workerId(), e.workerPid(), e.exitCause(),
                    e.exitCode().isPresent() ? e.exitCode().getAsInt() : null, e.exitDescription(), e.uptimeMillis(),
                    e.tasksServed(), e.outputTail());
        }

        WorkerCrashedException toException(long taskId, String taskClass) {
            return new WorkerCrashedException(new CrashReport(taskId, taskClass, attempt, workerId, workerPid,
                    exitCause, exitCode, exitDescription, uptimeMillis, tasksServed, outputTail));
        }
    }

    private FailureReport(Kind kind, long localTaskId, int inputOffset, int workerId, long workerPid, String remoteClass,
            String message, String stackTrace, long timeoutMillis, List<Crash> crashes) {
        this.kind = kind;
        this.localTaskId = localTaskId;
        this.inputOffset = inputOffset;
        this.workerId = workerId;
        this.workerPid = workerPid;
        this.remoteClass = remoteClass;
        this.message = message;
        this.stackTrace = stackTrace;
        this.timeoutMillis = timeoutMillis;
        this.crashes = crashes;
    }

    static FailureReport unavailable(String why) {
        return simple(Kind.UNAVAILABLE, why);
    }

    static FailureReport refused(String why) {
        return simple(Kind.REFUSED, why);
    }

    private static FailureReport simple(Kind kind, String why) {
        return new FailureReport(kind, -1, -1, -1, -1, null, why, null, 0, List.of());
    }

    /** Describes what a member's local pool failed a chunk with. */
    static FailureReport of(Throwable error) {
        if (error instanceof TaskFailedException e) {
            return new FailureReport(Kind.TASK_FAILED, e.taskId(), e.inputIndex(), e.workerId(), e.workerPid(),
                    e.remoteExceptionClass(), e.remoteMessage(), e.remoteStackTrace(), 0, List.of());
        }
        if (error instanceof TaskDataException e) {
            return new FailureReport(e.direction() == TaskDataException.Direction.INPUT ? Kind.DATA_INPUT
                    : Kind.DATA_OUTPUT, e.taskId(), e.inputIndex(), e.workerId(), e.workerPid(),
                    e.remoteExceptionClass(), e.remoteMessage(), e.remoteStackTrace(), 0, List.of());
        }
        if (error instanceof TaskTimeoutException e) {
            return new FailureReport(Kind.TIMED_OUT, e.taskId(), -1, e.workerId(), e.workerPid(), null, null, null,
                    e.timeout().toMillis(), List.of());
        }
        if (error instanceof WorkerCrashedException e) {
            return new FailureReport(Kind.CRASHED, e.taskId(), -1, e.workerId(), e.workerPid(), null, null, null, 0,
                    List.of(Crash.of(e)));
        }
        if (error instanceof PoisonTaskException e) {
            List<Crash> crashes = new ArrayList<>();
            e.attempts().forEach(crash -> crashes.add(Crash.of(crash)));
            return new FailureReport(Kind.POISON, e.taskId(), -1, -1, -1, null, null, null, 0, crashes);
        }
        if (error instanceof CancellationException) {
            return simple(Kind.CANCELLED, "cancelled on the member");
        }
        if (error instanceof RejectedExecutionException || error instanceof PoolFailedException) {
            return unavailable(String.valueOf(error.getMessage()));
        }
        return refused(error.toString());
    }

    /** As {@link #toException(long, String, int, String, String, String)}, with the task's types unknown. */
    ForkPoolException toException(long taskId, String taskClass, int firstIndex, String member) {
        return toException(taskId, taskClass, firstIndex, member, null, null);
    }

    /**
     * The exception the client completes the task with.
     *
     * @param taskId the client's id of the task (or chunk)
     * @param taskClass the task's class name
     * @param firstIndex the batch index of the chunk's first input, or -1 for a single task
     * @param member the member's address
     * @param inputType the task's declared input type, for a {@link TaskDataException}'s message, or {@code null}
     * @param outputType its declared output type, likewise
     */
    ForkPoolException toException(long taskId, String taskClass, int firstIndex, String member, String inputType,
            String outputType) {
        RemoteOrigin origin = new RemoteOrigin(member, localTaskId < 0 ? "" : "its local task " + localTaskId);
        int index = firstIndex < 0 || inputOffset < 0 ? -1 : firstIndex + inputOffset;
        ForkPoolException error = switch (kind) {
            case TASK_FAILED -> new TaskFailedException(new TaskFailureReport(taskId, taskClass, index, workerId,
                    workerPid, remoteClass, message, stackTrace));
            case DATA_INPUT, DATA_OUTPUT -> new TaskDataException(kind == Kind.DATA_INPUT
                    ? TaskDataException.Direction.INPUT : TaskDataException.Direction.OUTPUT,
                    kind == Kind.DATA_INPUT ? inputType : outputType,
                    new TaskFailureReport(taskId, taskClass, index, workerId, workerPid, remoteClass, message,
                            stackTrace));
            case TIMED_OUT -> new TaskTimeoutException(taskId, taskClass, Duration.ofMillis(timeoutMillis), workerId,
                    workerPid);
            case CRASHED -> crashes.get(0).toException(taskId, taskClass);
            case POISON -> {
                List<WorkerCrashedException> attempts = new ArrayList<>();
                for (Crash crash : crashes) {
                    WorkerCrashedException attempt = crash.toException(taskId, taskClass);
                    attempt.initCause(origin);
                    attempts.add(attempt);
                }
                yield new PoisonTaskException(taskId, taskClass, attempts); // its cause: the last attempt
            }
            default -> new ForkPoolException("task " + taskId + " (" + taskClass + ") cannot run on cluster member "
                    + member + ": " + message);
        };
        if (error.getCause() == null) {
            error.initCause(origin);
        }
        return error;
    }

    void writeTo(ObjectDataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeLong(localTaskId);
        out.writeInt(inputOffset);
        out.writeInt(workerId);
        out.writeLong(workerPid);
        out.writeString(remoteClass);
        out.writeString(message);
        out.writeString(stackTrace);
        out.writeLong(timeoutMillis);
        out.writeInt(crashes.size());
        for (Crash crash : crashes) {
            out.writeLong(crash.taskId());
            out.writeInt(crash.attempt());
            out.writeInt(crash.workerId());
            out.writeLong(crash.workerPid());
            out.writeByte(crash.exitCause().ordinal());
            out.writeInt(crash.exitCode() == null ? Integer.MIN_VALUE : crash.exitCode());
            out.writeString(crash.exitDescription());
            out.writeLong(crash.uptimeMillis());
            out.writeLong(crash.tasksServed());
            out.writeString(crash.outputTail());
        }
    }

    static FailureReport readFrom(ObjectDataInput in) throws IOException {
        Kind kind = enumAt(Kind.values(), in.readByte());
        long localTaskId = in.readLong();
        int inputOffset = in.readInt();
        int workerId = in.readInt();
        long workerPid = in.readLong();
        String remoteClass = in.readString();
        String message = in.readString();
        String stackTrace = in.readString();
        long timeoutMillis = in.readLong();
        int count = in.readInt();
        if (count < 0 || count > MAX_CRASHES) {
            throw new IOException("a failure report with " + count + " crashes");
        }
        List<Crash> crashes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long taskId = in.readLong();
            int attempt = in.readInt();
            int crashedWorker = in.readInt();
            long pid = in.readLong();
            ExitCause cause = enumAt(ExitCause.values(), in.readByte());
            int code = in.readInt();
            crashes.add(new Crash(taskId, attempt, crashedWorker, pid, cause, code == Integer.MIN_VALUE ? null : code,
                    nonNull(in.readString()), in.readLong(), in.readLong(), nonNull(in.readString())));
        }
        if ((kind == Kind.CRASHED || kind == Kind.POISON) && crashes.isEmpty()
                || (kind == Kind.TASK_FAILED || kind == Kind.DATA_INPUT || kind == Kind.DATA_OUTPUT)
                        && remoteClass == null) {
            throw new IOException("an incomplete " + kind + " report");
        }
        return new FailureReport(kind, localTaskId, inputOffset, workerId, workerPid, remoteClass, message, stackTrace,
                timeoutMillis, crashes);
    }

    private static <E extends Enum<E>> E enumAt(E[] values, int ordinal) throws IOException {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IOException("unknown " + values[0].getDeclaringClass().getSimpleName() + " " + ordinal);
        }
        return values[ordinal];
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }

    @Override
    public String toString() {
        return kind + (message == null ? "" : ": " + message);
    }
}
