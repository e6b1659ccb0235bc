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
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
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

    /**
     * A task instance and its codecs; {@code elementReader} reads one input of a BATCH's array,
     * where the rest of the array follows it, so it does not insist the value ends the document.
     */
    private record LoadedTask(Task<Object, Object> task, ObjectReader inputReader, ObjectReader elementReader,
            ObjectWriter outputWriter) {
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
                    batch ? 0 : null);
        }
        TaskContextHolder.set(context);
        try {
            return batch ? runBatch(id, request, frame.payload(), context) : runOne(id, request, frame.payload());
        } finally {
            TaskContextHolder.set(null);
            end();
        }
    }

    /** Runs a TASK: decodes its input, runs it, encodes the output; any failure is the reply. */
    private Frame runOne(long id, TaskRequest request, byte[] payload) {
        try {
            LoadedTask task = load(request.taskClass());
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
            return failure(id, t, null);
        }
    }

    /**
     * Runs a BATCH (PROTOCOL.md 4.5): decodes every input first, so an input that does not decode
     * fails the batch before anything runs, then runs them in order and answers with one array of
     * outputs, or with the first failure and its index.
     */
    private Frame runBatch(long id, TaskRequest request, byte[] payload, RunningContext context) {
        LoadedTask task;
        List<Object> inputs = new ArrayList<>();
        try {
            task = load(request.taskClass());
            readInputs(task.elementReader(), payload, request.inputOffset(), inputs);
        } catch (Throwable t) {
            return failure(id, t, inputs.size()); // the input that did not decode, or 0
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxFrameLength, 64 + 16 * inputs.size()));
        int index = 0;
        try (JsonGenerator generator = mapper.createGenerator(out)) {
            generator.writeStartArray();
            for (; index < inputs.size(); index++) {
                if (context.isCancelled()) {
                    throw new CancellationException("batch " + id + " was cancelled before input " + index);
                }
                task.outputWriter().writeValue(generator, task.task().execute(inputs.get(index)));
                if (context.isCancelled()) { // it ran on regardless: it counts as the one stopped
                    throw new CancellationException("batch " + id + " was cancelled while input " + index + " ran");
                }
                generator.flush();
                if (out.size() + 1 > maxFrameLength) { // the closing bracket must fit too
                    throw new IllegalStateException("outputs of " + (out.size() + 1) + " bytes up to input " + index
                            + " exceed maxFrameLength " + maxFrameLength);
                }
            }
            generator.writeEndArray();
        } catch (Throwable t) {
            return failure(id, context.isCancelled() && !(t instanceof CancellationException)
                    ? new CancellationException("batch " + id + " was cancelled at input " + index) : t, index);
        }
        return new Frame(FrameType.RESULT, id, out.toByteArray());
    }

    /** Decodes a JSON array of 1 to {@link TaskRequest#MAX_BATCH_INPUTS} inputs; {@code into} holds those decoded before a failure. */
    private void readInputs(ObjectReader reader, byte[] payload, int offset, List<Object> into) {
        try (JsonParser parser = mapper.createParser(payload, offset, payload.length - offset)) {
            if (nextToken(parser, into) != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("the inputs of a BATCH must be a JSON array");
            }
            while (nextToken(parser, into) != JsonToken.END_ARRAY) {
                if (into.size() == TaskRequest.MAX_BATCH_INPUTS) {
                    into.clear(); // the failure is the array's: index 0
                    throw new IllegalArgumentException("a BATCH holds at most " + TaskRequest.MAX_BATCH_INPUTS + " inputs");
                }
                into.add(reader.readValue(parser));
            }
            if (into.isEmpty()) {
                throw new IllegalArgumentException("a BATCH holds at least one input");
            }
            if (nextToken(parser, into) != null) {
                into.clear();
                throw new IllegalArgumentException("trailing data after the inputs of a BATCH");
            }
        }
    }

    /** The next token; malformed JSON is the array's failure (index 0), not an element's. */
    private static JsonToken nextToken(JsonParser parser, List<Object> decoded) {
        try {
            return parser.nextToken();
        } catch (RuntimeException e) {
            // Not a catch of StreamReadException: the verifier would load Jackson's exception
            // classes with this class, which a worker creates before its hello.
            if (e instanceof StreamReadException) {
                decoded.clear();
            }
            throw e;
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
            ObjectReader inputReader = mapper.readerFor(types.inputType());
            task = new LoadedTask(instance, inputReader,
                    inputReader.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS),
                    mapper.writerFor(types.outputType()));
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
     * Describes what a task threw. The exception is the task's code too: its {@code getMessage()}
     * or {@code toString()} may throw, and that must still give the caller an answer rather than
     * kill the thread that answers.
     */
    private Frame failure(long id, Throwable t, Integer batchIndex) {
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
        byte[] payload = Messages.encode(new Messages.TaskFailure(t.getClass().getName(), message, stack, batchIndex));
        return new Frame(FrameType.FAILURE, id, payload);
    }
}
