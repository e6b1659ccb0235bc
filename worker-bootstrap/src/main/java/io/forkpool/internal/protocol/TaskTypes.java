package io.forkpool.internal.protocol;

import io.forkpool.Task;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.type.TypeFactory;

/**
 * Checks that a class can run as a task and resolves its declared input and output types. Shared
 * by the supervisor (to fail {@code submit} fast) and the worker (to refuse anything else).
 */
public final class TaskTypes {

    /**
     * A class that passed the checks.
     *
     * @param taskClass the task class
     * @param inputType the resolved {@code I}
     * @param outputType the resolved {@code O}
     */
    public record Resolved(Class<?> taskClass, JavaType inputType, JavaType outputType) {
    }

    private TaskTypes() {
    }

    /**
     * Checks and resolves a task class.
     *
     * @param typeFactory the mapper's type factory
     * @param candidate the class
     * @return its resolved types
     * @throws IllegalArgumentException naming the class and why it can never run as a task
     */
    public static Resolved resolve(TypeFactory typeFactory, Class<?> candidate) {
        String name = candidate.getName();
        if (!Task.class.isAssignableFrom(candidate)) {
            throw new IllegalArgumentException(name + " does not implement " + Task.class.getName());
        }
        int modifiers = candidate.getModifiers();
        if (candidate.isInterface() || Modifier.isAbstract(modifiers)) {
            throw new IllegalArgumentException(name + " is abstract; a task class must be concrete");
        }
        if (!Modifier.isPublic(modifiers)) {
            throw new IllegalArgumentException(name + " is not public; a worker could not instantiate it");
        }
        if (candidate.isAnonymousClass() || candidate.isLocalClass()
                || (candidate.isMemberClass() && !Modifier.isStatic(modifiers))) {
            throw new IllegalArgumentException(name
                    + " is an anonymous, local or inner class; a task class must be top-level or static nested");
        }
        try {
            Constructor<?> constructor = candidate.getConstructor();
            if (!Modifier.isPublic(constructor.getModifiers())) {
                throw new NoSuchMethodException();
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(name + " has no public no-argument constructor");
        }
        if (TypeVariables.leaveTaskArgumentsUnresolved(candidate)) {
            throw new IllegalArgumentException(name + " leaves Task's type arguments unresolved (a type variable such"
                    + " as T in Task<T, T>): the worker would decode its input as untyped JSON; declare a subclass"
                    + " with concrete types (class StringIdentity extends Identity<String>), or Task<Object, Object>"
                    + " for untyped data");
        }
        JavaType[] parameters = typeFactory.findTypeParameters(typeFactory.constructType(candidate), Task.class);
        if (parameters == null || parameters.length != 2) {
            throw new IllegalArgumentException(name + " does not declare the type arguments of Task<I, O>");
        }
        return new Resolved(candidate, parameters[0], parameters[1]);
    }
}
