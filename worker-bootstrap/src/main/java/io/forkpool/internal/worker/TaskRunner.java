package io.forkpool.internal.worker;

import io.forkpool.Task;
import io.forkpool.TaskContext;
import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
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
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one TASK frame and produces its RESULT or FAILURE frame. Loads a task class only if its
 * name passes the pool's allow-list, instantiates it only if it implements {@link Task} (checked
 * before its static initializer runs), and keeps one instance per class. {@link #run} is confined to the worker's task thread; {@link #cancel} comes from the
 * reader thread and interrupts the task thread only while the cancelled task is the one running.
 */
final class TaskRunner {

    /** Remote stack traces are cut here so a failure report always fits a frame. */
    private static final int MAX_STACK_TRACE_CHARS = 32 * 1024;

    private final JsonMapper mapper;
    private final int maxFrameLength;
    private final ClassLoader loader;
    private final TaskAllowList allowedTasks;
    private final int workerId;
    private final Map<String, LoadedTask> loaded = new HashMap<>();

    // Cancellation hand-off between the reader thread and the task thread, guarded by itself.
    private final Object cancelLock = new Object();
    private Thread taskThread;
    private long runningId;
    private RunningContext running;
    /** Tasks received and not yet started; at most tasksInFlightPerWorker of them. */
    private final Set<Long> waiting = new HashSet<>();
    private final Set<Long> cancelledBeforeStart = new HashSet<>();

    private record LoadedTask(Task<Object, Object> task, ObjectReader inputReader, ObjectWriter outputWriter) {
    }

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

    TaskRunner(JsonMapper mapper, int maxFrameLength, ClassLoader loader, TaskAllowList allowedTasks, int workerId) {
        this.mapper = mapper;
        this.maxFrameLength = maxFrameLength;
        this.loader = loader;
        this.allowedTasks = allowedTasks;
        this.workerId = workerId;
    }

    void bindTo(Thread thread) {
        synchronized (cancelLock) {
            taskThread = thread;
        }
    }

    /**
     * Notes that a task was received and waits its turn; reader thread, before the task is queued.
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
                taskThread.interrupt();
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
            running = new RunningContext(taskId, attempt, workerId);
            return running;
        }
    }

    private void end() {
        synchronized (cancelLock) {
            running = null;
            runningId = 0;
            // A cancel that raced with the end of the task must not hit the next one.
            Thread.interrupted();
        }
    }

    /**
     * Runs a task frame.
     *
     * @param frame a TASK frame
     * @return the reply frame, RESULT or FAILURE, with the same correlation id
     * @throws ProtocolException if the TASK payload itself is malformed
     */
    Frame run(Frame frame) throws ProtocolException {
        TaskRequest request = TaskRequest.parse(frame.payload());
        long id = frame.correlationId();
        RunningContext context = begin(id, request.attempt());
        if (context == null) {
            return failure(id, new CancellationException("task " + id + " was cancelled before it started"));
        }
        TaskContextHolder.set(context);
        try {
            LoadedTask task = load(request.taskClass());
            byte[] payload = frame.payload();
            Object input = task.inputReader().readValue(payload, request.inputOffset(),
                    payload.length - request.inputOffset());
            Object output = task.task().execute(input);
            byte[] encoded = task.outputWriter().writeValueAsBytes(output);
            if (encoded.length > maxFrameLength) {
                throw new IllegalStateException("output of " + encoded.length + " bytes exceeds maxFrameLength "
                        + maxFrameLength);
            }
            return new Frame(FrameType.RESULT, id, encoded);
        } catch (Throwable t) { // the task's failure, whatever it is, goes back to the caller
            return failure(id, t);
        } finally {
            TaskContextHolder.set(null);
            end();
        }
    }

    private LoadedTask load(String className) throws ReflectiveOperationException {
        LoadedTask task = loaded.get(className);
        if (task == null) {
            // The name is checked before anything is loaded: a refused name never reaches a class loader.
            if (!allowedTasks.allows(className)) {
                throw allowedTasks.refusal(className);
            }
            Class<?> candidate = Class.forName(className, false, loader);
            TaskTypes.Resolved types = TaskTypes.resolve(mapper.getTypeFactory(), candidate);
            @SuppressWarnings("unchecked")
            Task<Object, Object> instance = (Task<Object, Object>) candidate.getConstructor().newInstance();
            task = new LoadedTask(instance, mapper.readerFor(types.inputType()), mapper.writerFor(types.outputType()));
            loaded.put(className, task);
        }
        return task;
    }

    private static String truncate(String text) {
        return text.length() > MAX_STACK_TRACE_CHARS
                ? text.substring(0, MAX_STACK_TRACE_CHARS) + "... (truncated)"
                : text;
    }

    private Frame failure(long id, Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        String stack = truncate(trace.toString());
        String message = t.getMessage() == null ? null : truncate(t.getMessage());
        byte[] payload = Messages.encode(new Messages.TaskFailure(t.getClass().getName(), message, stack));
        return new Frame(FrameType.FAILURE, id, payload);
    }
}
