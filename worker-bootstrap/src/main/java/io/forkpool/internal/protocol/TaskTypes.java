package io.forkpool.internal.protocol;

import io.forkpool.Task;
import io.forkpool.TaskName;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.type.TypeFactory;

/**
 * Checks that a class, or a method ({@link TaskMethods}), can run as a task and resolves its
 * declared input and output types. Shared by the supervisor (to fail {@code submit} fast) and the
 * worker (to refuse anything else).
 */
public final class TaskTypes {

    /**
     * A task class or task method that passed the checks.
     *
     * @param name the task's name on the wire: the class's binary name, {@code Class::method}, or
     *     a {@link TaskName}'s name
     * @param taskClass the task class, or the class declaring the method; {@code null} for a task
     *     known by name only
     * @param method the task method, or {@code null} for a task class or a task known by name only
     * @param inputType the resolved {@code I}
     * @param outputType the resolved {@code O}
     */
    public record Resolved(String name, Class<?> taskClass, Method method, JavaType inputType, JavaType outputType) {

        /**
         * A task class that passed the checks.
         *
         * @param taskClass the task class
         * @param inputType the resolved {@code I}
         * @param outputType the resolved {@code O}
         */
        public Resolved(Class<?> taskClass, JavaType inputType, JavaType outputType) {
            this(taskClass.getName(), taskClass, null, inputType, outputType);
        }
    }

    private TaskTypes() {
    }

    /**
     * Resolves a task by its name on the wire, in the worker. The caller has checked the name
     * against the allow-list; the class is loaded but not initialized.
     *
     * @param typeFactory the mapper's type factory
     * @param name a binary class name, or {@code Class::method}
     * @param loader the loader of task classes
     * @return its resolved types
     * @throws ClassNotFoundException if the class (the class part, for a method) is not found
     * @throws IllegalArgumentException naming the task and why it can never run
     */
    public static Resolved resolve(TypeFactory typeFactory, String name, ClassLoader loader)
            throws ClassNotFoundException {
        Class<?> owner = Class.forName(TaskMethods.ownerOf(name), false, loader);
        return name.contains(TaskMethods.SEPARATOR)
                ? resolve(typeFactory, TaskMethods.find(owner, name.substring(name.indexOf(TaskMethods.SEPARATOR) + 2)))
                : resolve(typeFactory, owner);
    }

    /**
     * Resolves a task known by name only, whose types the caller stated: nothing is loaded, and
     * nothing about the task is checked but its name's form ({@link TaskName}).
     *
     * @param typeFactory the mapper's type factory
     * @param task the task's name and types
     * @return its resolved types
     */
    public static Resolved resolve(TypeFactory typeFactory, TaskName<?, ?> task) {
        return new Resolved(task.name(), null, null, typeFactory.constructType(task.inputType()),
                typeFactory.constructType(task.outputType()));
    }

    /**
     * Resolves a task method's types from its generic signature: its parameter is the input, its
     * return type the output, primitives boxed and {@code void} as {@link Void}.
     *
     * @param typeFactory the mapper's type factory
     * @param method a method that passed {@link TaskMethods#find}
     * @return its resolved types
     */
    public static Resolved resolve(TypeFactory typeFactory, Method method) {
        return new Resolved(TaskMethods.nameOf(method), method.getDeclaringClass(), method,
                typeFactory.constructType(boxed(method.getGenericParameterTypes()[0])),
                typeFactory.constructType(boxed(method.getGenericReturnType())));
    }

    private static Type boxed(Type type) {
        return type instanceof Class<?> c && c.isPrimitive() ? MethodType.methodType(c).wrap().returnType() : type;
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
