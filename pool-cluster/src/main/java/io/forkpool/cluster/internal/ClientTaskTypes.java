package io.forkpool.cluster.internal;

import io.forkpool.TaskFunction;
import io.forkpool.TaskName;
import io.forkpool.internal.protocol.TaskMethods;
import io.forkpool.internal.protocol.TaskTypes;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client's task types, resolved once per task class, method-reference call site and
 * {@link TaskName},
 * with the same checks as a local pool's; the nodes check their allow-lists. Thread-safe.
 */
final class ClientTaskTypes {

    private final JsonMapper mapper;
    private final int maxDocumentBytes;
    /** By task class, or by the class the JVM made for a method reference's call site. */
    private final ConcurrentHashMap<Class<?>, ClientTaskType> byClass = new ConcurrentHashMap<>();
    /** Task methods by name, so that every call site of one method shares its chunk sizing. */
    private final ConcurrentHashMap<String, ClientTaskType> byMethod = new ConcurrentHashMap<>();

    /** Tasks known by name only, by name and types. */
    private final ConcurrentHashMap<TaskName<?, ?>, ClientTaskType> byName = new ConcurrentHashMap<>();

    ClientTaskTypes(JsonMapper mapper, int maxDocumentBytes) {
        this.mapper = mapper;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    /** @throws IllegalArgumentException if the class can never run as a task */
    ClientTaskType of(Class<?> taskClass) {
        Objects.requireNonNull(taskClass, "taskClass");
        return byClass.computeIfAbsent(taskClass, c -> new ClientTaskType(
                TaskTypes.resolve(mapper.getTypeFactory(), c), mapper, maxDocumentBytes));
    }

    /** A task known by name only, with the types its caller stated; the nodes check the name against their allow-lists. */
    ClientTaskType of(TaskName<?, ?> task) {
        Objects.requireNonNull(task, "task");
        return byName.computeIfAbsent(task, t -> new ClientTaskType(
                TaskTypes.resolve(mapper.getTypeFactory(), t), mapper, maxDocumentBytes));
    }

    /** @throws IllegalArgumentException if it is not a reference to a public static task method, saying why */
    ClientTaskType of(TaskFunction<?, ?> function) {
        Objects.requireNonNull(function, "function");
        return byClass.computeIfAbsent(function.getClass(), c -> {
            Method method = TaskMethods.identify(function);
            return byMethod.computeIfAbsent(TaskMethods.nameOf(method), name -> new ClientTaskType(
                    TaskTypes.resolve(mapper.getTypeFactory(), method), mapper, maxDocumentBytes));
        });
    }
}
