package io.forkpool.runtime.internal.ledger;

import io.forkpool.TaskFunction;
import io.forkpool.TaskName;
import io.forkpool.internal.protocol.TaskMethods;
import io.forkpool.spi.TaskAllowList;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pool's task types, resolved once per task class, task method or {@link TaskName} (checked
 * against the allow-list first),
 * and the encoding of inputs, each checked against the frame limit before anything is queued.
 * Thread-safe.
 */
public final class TaskTypes {

    private final TaskAllowList allowedTasks;
    private final CompletableFuture<JsonMapper> mapper;
    private final int maxFrameLength;
    private final ConcurrentHashMap<Class<?>, TaskType> byClass = new ConcurrentHashMap<>();
    /**
     * Method references, by the class the JVM made for each call site (one per site, always
     * naming the same method), so that identifying the method is done once per site.
     */
    private final ConcurrentHashMap<Class<?>, TaskType> byFunction = new ConcurrentHashMap<>();
    /** Task methods by name: every call site of {@code Primes::count} shares one type and its chunk sizing. */
    private final ConcurrentHashMap<String, TaskType> byMethod = new ConcurrentHashMap<>();
    /** Tasks known by name only, with the types the caller stated ({@link TaskName}). */
    private final ConcurrentHashMap<TaskName<?, ?>, TaskType> byTaskName = new ConcurrentHashMap<>();
    /** Task classes known by name only, whose inputs and outputs stay JSON documents. */
    private final ConcurrentHashMap<String, TaskType> byName = new ConcurrentHashMap<>();

    /**
     * @param allowedTasks the pool's allow-list
     * @param mapper the pool's data mapper, being built: the first task type waits for it
     * @param maxFrameLength the largest payload a frame may carry
     */
    public TaskTypes(TaskAllowList allowedTasks, CompletableFuture<JsonMapper> mapper, int maxFrameLength) {
        this.allowedTasks = allowedTasks;
        this.mapper = mapper;
        this.maxFrameLength = maxFrameLength;
    }

    /** The data mapper, once built; a mapper that could not be built fails every submission that needs it. */
    private JsonMapper mapper() {
        try {
            return mapper.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the pool's data mapper could not be built: " + e.getCause(), e.getCause());
        }
    }

    /**
     * @param taskClass a task class
     * @return its type
     * @throws IllegalArgumentException if the allow-list refuses it, or its types cannot be resolved
     */
    public TaskType of(Class<?> taskClass) {
        Objects.requireNonNull(taskClass, "taskClass");
        return byClass.computeIfAbsent(taskClass, c -> {
            if (!allowedTasks.allows(c.getName())) {
                throw allowedTasks.refusal(c.getName());
            }
            return TaskType.of(c, mapper());
        });
    }

    /**
     * @param function a reference to a public static method, such as {@code Primes::count}
     * @return its type, named {@code Class::method}
     * @throws IllegalArgumentException if it is not such a reference (saying why), the allow-list
     *     refuses its class, or its types cannot be resolved
     */
    public TaskType of(TaskFunction<?, ?> function) {
        Objects.requireNonNull(function, "function");
        return byFunction.computeIfAbsent(function.getClass(), c -> {
            Method method = TaskMethods.identify(function);
            String name = TaskMethods.nameOf(method);
            if (!allowedTasks.allows(name)) {
                throw allowedTasks.refusal(name);
            }
            return byMethod.computeIfAbsent(name, n -> TaskType.of(method, mapper()));
        });
    }

    /**
     * @param task a task known by name only, with its input and output types
     * @return its type
     * @throws IllegalArgumentException if the allow-list refuses its name
     */
    public TaskType of(TaskName<?, ?> task) {
        return byTaskName.computeIfAbsent(Objects.requireNonNull(task, "task"), t -> {
            if (!allowedTasks.allows(t.name())) {
                throw allowedTasks.refusal(t.name());
            }
            return TaskType.of(io.forkpool.internal.protocol.TaskTypes.resolve(mapper().getTypeFactory(), t), mapper());
        });
    }

    /**
     * @param taskClass a task class's name, as the workers load it
     * @return its type, whose inputs and outputs are JSON documents
     * @throws IllegalArgumentException if the allow-list refuses it
     */
    public TaskType documents(String taskClass) {
        return byName.computeIfAbsent(Objects.requireNonNull(taskClass, "taskClass"), name -> {
            if (!allowedTasks.allows(name)) {
                throw allowedTasks.refusal(name);
            }
            return TaskType.documents(name, mapper());
        });
    }

    /**
     * Encodes an input and, if it is the first of its class, decodes it as a worker will, so that
     * one no worker could read fails here.
     *
     * @return the input, encoded
     * @throws IllegalArgumentException if it cannot be encoded, is longer than a frame, or is the
     *     first of its class and does not decode as the task's input type
     * @param type the task type
     * @param input the input
     */
    public byte[] encode(TaskType type, Object input) {
        byte[] encoded = type.encodeInput(input);
        checkLength(type, encoded.length);
        type.checkDecodes(input, encoded, 0, encoded.length);
        return encoded;
    }

    private void checkLength(TaskType type, int length) {
        long payload = (long) type.namePrefix().length + 1 + length;
        if (payload > maxFrameLength) {
            throw new IllegalArgumentException("the input of " + type.name() + " encodes to " + payload
                    + " bytes, more than maxFrameLength " + maxFrameLength);
        }
    }

    /**
     * Encodes every input before any is queued, so that a bad one queues nothing: all of them as
     * one JSON array in one Jackson call ({@link TaskType#encodeInputs}), then each checked
     * against the frame limit in order. If that call cannot encode them (or the task's inputs are
     * documents already), they are encoded and checked one by one, as {@link #encode} does, so
     * that the first bad input fails the call with the message it always had, and then joined.
     * The first input of each class is decoded as a worker will ({@link #encode}).
     *
     * @return the inputs, encoded, in order
     * @throws IllegalArgumentException if an input cannot be encoded, is longer than a frame, or is
     *     the first of its class and does not decode as the task's input type
     * @param type the task type
     * @param inputs the inputs, in order
     */
    public EncodedInputs encodeAll(TaskType type, List<?> inputs) {
        EncodedInputs encoded = type.encodeInputs(inputs);
        if (encoded == null) {
            byte[][] each = new byte[inputs.size()][];
            for (int i = 0; i < each.length; i++) {
                each[i] = encode(type, inputs.get(i));
            }
            return EncodedInputs.of(each);
        }
        if (type.namePrefix().length + 1L + encoded.totalLength() > maxFrameLength) { // else none can be too long
            for (int i = 0; i < encoded.count(); i++) {
                checkLength(type, encoded.length(i));
            }
        }
        Class<?> checked = null; // inputs of one class mostly come in runs: one look-up per run
        int i = 0;
        for (Object input : inputs) { // not get(i): the list may be linked
            if (input != null && input.getClass() != checked) {
                checked = input.getClass();
                type.checkDecodes(input, encoded.array(i), encoded.offset(i), encoded.length(i));
            }
            i++;
        }
        return encoded;
    }
}
