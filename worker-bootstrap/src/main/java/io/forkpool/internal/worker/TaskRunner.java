package io.forkpool.internal.worker;

import io.forkpool.Task;
import io.forkpool.TaskContext;
import io.forkpool.TaskFailedException;
import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import io.forkpool.internal.protocol.TaskMethods;
import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.internal.protocol.TaskTypes;
import io.forkpool.spi.TaskAllowList;
import io.forkpool.spi.TaskContextHolder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one TASK or BATCH frame and produces its RESULT or FAILURE frame. Loads a task class only if its
 * name passes the pool's allow-list, instantiates it only if it implements {@link Task} (checked
 * before its static initializer runs), and keeps one instance per class. {@link #run} is called by
 * one thread at a time, whichever of the worker's serving threads holds the runner role (the
 * hand-over of that role orders its calls); {@link #cancel} comes from the one reading frames and
 * interrupts the thread that runs the cancelled task, only while it runs it.
 */
final class TaskRunner {

    /** Remote stack traces are cut here so a failure report always fits a frame. */
    private static final int MAX_STACK_TRACE_CHARS = 32 * 1024;

    /** Where the data mapper comes from; asked once, by the first task, which may wait for it. */
    private final Supplier<JsonMapper> mappers;
    /** The data mapper, once the first task has it; the running thread only. */
    private JsonMapper mapper;
    private final int maxFrameLength;
    private final ClassLoader loader;
    private final TaskAllowList allowedTasks;
    private final int workerId;
    private final Map<String, LoadedTask> loaded = new HashMap<>();

    // Cancellation hand-off between the reading thread and the running one, guarded by itself.
    private final Object cancelLock = new Object();
    /** The thread running {@link #running}: the one that called {@link #run}, not a thread bound once. */
    private Thread runningThread;
    private long runningId;
    private RunningContext running;
    /** Tasks received and not yet started; at most tasksInFlightPerWorker of them. */
    private final Set<Long> waiting = new HashSet<>();
    private final Set<Long> cancelledBeforeStart = new HashSet<>();

    private static final class RunningContext implements TaskContext {
        private final long taskId;
        private final int attempt;
        private final int workerId;
        private volatile boolean cancelled;

        RunningContext(long taskId, int attempt, int workerId) {
            this.taskId = taskId;
            this.attempt = attempt;
            this.workerId = workerId;
        }

        @Override
        public long taskId() {
            return taskId;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public int workerId() {
            return workerId;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    TaskRunner(Supplier<JsonMapper> mappers, int maxFrameLength, ClassLoader loader, TaskAllowList allowedTasks,
            int workerId) {
        this.mappers = mappers;
        this.maxFrameLength = maxFrameLength;
        this.loader = loader;
        this.allowedTasks = allowedTasks;
        this.workerId = workerId;
    }

    /**
     * Notes that a task was received and waits its turn; by the reading thread, before the task is queued.
     */
    void received(long taskId) {
        synchronized (cancelLock) {
            waiting.add(taskId);
        }
    }

    /**
     * Cancels a task: interrupts it if it is running, or marks it so it is answered with a
     * cancellation instead of being run. A cancel for a task already answered, or never
     * received, is ignored, so nothing is remembered for it.
     */
    void cancel(long taskId) {
        synchronized (cancelLock) {
            if (running != null && runningId == taskId) {
                running.cancelled = true;
                runningThread.interrupt();
            } else if (waiting.contains(taskId)) {
                cancelledBeforeStart.add(taskId);
            }
        }
    }

    private RunningContext begin(long taskId, int attempt) {
        synchronized (cancelLock) {
            waiting.remove(taskId);
            if (cancelledBeforeStart.remove(taskId)) {
                return null;
            }
            runningId = taskId;
            runningThread = Thread.currentThread();
            running = new RunningContext(taskId, attempt, workerId);
            return running;
        }
    }

    private void end() {
        synchronized (cancelLock) {
            running = null;
            runningId = 0;
            runningThread = null;
            // A cancel that raced with the end of the task must not hit the next one, nor the read
            // this thread may do next: an interrupted read of a channel closes it.
            Thread.interrupted();
        }
    }

    /**
     * Runs a task frame.
     *
     * @param frame a TASK frame
     * @return the reply frame, RESULT or FAILURE, with the same correlation id
     * @throws ProtocolException if the TASK payload itself is malformed
     * @throws IllegalStateException if there is no data mapper: the worker cannot serve
     */
    Frame run(Frame frame) throws ProtocolException {
        if (mapper == null) {
            mapper = mappers.get(); // outside the task's failure handling: without it no task can run
        }
        TaskRequest request = TaskRequest.parse(frame.payload());
        long id = frame.correlationId();
        boolean batch = frame.type() == FrameType.BATCH;
        RunningContext context = begin(id, request.attempt());
        if (context == null) {
            return failure(id, new CancellationException("task " + id + " was cancelled before it started"),
                    batch ? 0 : null, null);
        }
        TaskContextHolder.set(context);
        try {
            return batch ? runBatch(id, request, frame.payload(), context) : runOne(id, request, frame.payload());
        } finally {
            TaskContextHolder.set(null);
            end();
        }
    }

    /**
     * Runs a TASK: decodes its input, runs it, encodes the output; any failure is the reply, and
     * names its stage when the input did not decode or the output could not be encoded.
     */
    private Frame runOne(long id, TaskRequest request, byte[] payload) {
        LoadedTask task;
        try {
            task = load(request.taskClass());
        } catch (Throwable t) { // the task cannot be loaded
            return failure(id, t, null, null);
        }
        Object input;
        try {
            input = task.readInput(payload, request.inputOffset());
        } catch (Throwable t) { // the task never ran
            return failure(id, t, null, Messages.STAGE_INPUT);
        }
        Object output;
        try {
            output = task.task().execute(input);
        } catch (Throwable t) { // the task's failure, whatever it is, goes back to the caller
            return failure(id, t, null, null);
        }
        try {
            byte[] encoded = task.writeOutput(output);
            if (encoded.length > maxFrameLength) {
                throw new OwnFailure(Messages.OUTPUT_NOT_ENCODABLE, "output of " + encoded.length
                        + " bytes exceeds maxFrameLength " + maxFrameLength, null);
            }
            return new Frame(FrameType.RESULT, id, encoded);
        } catch (Throwable t) {
            return failure(id, t, null, Messages.STAGE_OUTPUT);
        }
    }

    /**
     * Runs a BATCH (PROTOCOL.md 4.5): decodes every input first, so an input that does not decode
     * fails the batch before anything runs, then runs them in order, and answers with one array of
     * outputs, encoded once all have run, or with the first failure and its index (and its stage,
     * for an input that did not decode or an output that could not be encoded).
     */
    private Frame runBatch(long id, TaskRequest request, byte[] payload, RunningContext context) {
        LoadedTask task;
        Object[] inputs;
        try {
            task = load(request.taskClass());
        } catch (Throwable t) {
            return failure(id, t, 0, null); // the task cannot be loaded
        }
        try {
            inputs = task.readInputs(payload, request.inputOffset());
        } catch (LoadedTask.ElementFailure e) {
            return failure(id, e.getCause(), e.index, Messages.STAGE_INPUT);
        } catch (Throwable t) { // its reader for arrays could not be made: no input decodes
            return failure(id, t, 0, Messages.STAGE_INPUT);
        }
        Object[] outputs = new Object[inputs.length];
        int index = 0;
        Throwable failed;
        String stage = null;
        try {
            for (; index < inputs.length; index++) {
                if (context.isCancelled()) {
                    throw new CancellationException("batch " + id + " was cancelled before input " + index);
                }
                outputs[index] = task.task().execute(inputs[index]);
                if (context.isCancelled()) { // it ran on regardless: it counts as the one stopped
                    throw new CancellationException("batch " + id + " was cancelled while input " + index + " ran");
                }
            }
            index = inputs.length - 1; // a failure from here on is an output's, found by writeOutputs
            byte[] encoded = task.writeOutputs(outputs, maxFrameLength);
            if (context.isCancelled()) { // a batch that saw a CANCEL never answers with a RESULT
                throw new CancellationException("batch " + id + " was cancelled after its last input ran");
            }
            return new Frame(FrameType.RESULT, id, encoded);
        } catch (LoadedTask.ElementFailure e) { // only writeOutputs throws it
            index = e.index;
            failed = e.getCause();
            stage = Messages.STAGE_OUTPUT;
        } catch (Throwable t) {
            failed = t;
        }
        if (context.isCancelled() && !(failed instanceof CancellationException)) {
            return failure(id, new CancellationException("batch " + id + " was cancelled at input " + index), index,
                    null);
        }
        return failure(id, failed, index, stage);
    }

    private LoadedTask load(String className) throws ReflectiveOperationException, OwnFailure {
        LoadedTask task = loaded.get(className);
        if (task == null) {
            // The name is checked before anything is loaded: a refused name never reaches a class loader.
            if (!allowedTasks.allows(className)) {
                IllegalArgumentException refusal = allowedTasks.refusal(className);
                throw new OwnFailure(TaskFailedException.TASK_NOT_ALLOWED, refusal.getMessage(), null);
            }
            TaskTypes.Resolved types;
            try {
                types = TaskTypes.resolve(mapper.getTypeFactory(), className, loader);
            } catch (ClassNotFoundException e) {
                throw new OwnFailure(TaskFailedException.UNKNOWN_TASK, "no task named " + className
                        + " in this worker: class " + e.getMessage() + " not found", e);
            } catch (IllegalArgumentException e) { // a class or method that can never run as a task
                throw new OwnFailure(TaskFailedException.UNKNOWN_TASK, e.getMessage(), e);
            }
            @SuppressWarnings("unchecked")
            Task<Object, Object> instance = types.method() != null
                    ? TaskMethods.invoker(types.method())
                    : (Task<Object, Object>) types.taskClass().getConstructor().newInstance();
            task = new LoadedTask(instance, mapper, types);
            loaded.put(className, task);
        }
        return task;
    }

    private static String truncate(String text) {
        return text.length() > MAX_STACK_TRACE_CHARS
                ? text.substring(0, MAX_STACK_TRACE_CHARS) + "... (truncated)"
                : text;
    }

    /**
     * Describes what a task threw, or what kept its data from crossing. The exception is the task's
     * code too: its {@code getMessage()} or {@code toString()} may throw, and that must still give
     * the caller an answer rather than kill the thread that answers.
     *
     * @param stage {@link Messages#STAGE_INPUT} or {@link Messages#STAGE_OUTPUT} for a fault in the
     *     task's data, {@code null} when the task threw or could not be loaded
     */
    private Frame failure(long id, Throwable t, Integer batchIndex, String stage) {
        String exceptionClass = t instanceof OwnFailure own ? own.protocolName : t.getClass().getName();
        String message;
        try {
            message = t.getMessage() == null ? null : truncate(t.getMessage());
        } catch (RuntimeException | Error e) {
            message = "(its getMessage() threw " + e.getClass().getName() + ")";
        }
        String stack;
        try {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            stack = truncate(trace.toString());
        } catch (RuntimeException | Error e) {
            stack = t.getClass().getName() + " (its stack trace cannot be printed: printing it threw "
                    + e.getClass().getName() + ")";
        }
        return new Frame(FrameType.FAILURE, id, fitted(exceptionClass, message, stack, batchIndex, stage));
    }

    /**
     * Encodes a failure cut to fit a frame and the control-message limit (PROTOCOL.md 4.2): the
     * message and the stack trace are halved, each keeping its start, until the whole fits.
     */
    private byte[] fitted(String exceptionClass, String message, String stack, Integer batchIndex, String stage) {
        int limit = Math.min(maxFrameLength, Messages.MAX_CONTROL_MESSAGE_LENGTH);
        String shortMessage = message;
        String shortStack = stack;
        byte[] payload = Messages.encode(new Messages.TaskFailure(exceptionClass, message, stack, batchIndex, stage));
        while (payload.length > limit && (shortMessage != null && !shortMessage.isEmpty() || !shortStack.isEmpty())) {
            shortMessage = shortMessage == null ? null : shortMessage.substring(0, shortMessage.length() / 2);
            shortStack = shortStack.substring(0, shortStack.length() / 2);
            payload = Messages.encode(new Messages.TaskFailure(exceptionClass, shortMessage, shortStack, batchIndex, stage));
        }
        return payload;
    }
}
