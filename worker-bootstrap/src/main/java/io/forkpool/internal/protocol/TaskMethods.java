package io.forkpool.internal.protocol;

import io.forkpool.Task;
import io.forkpool.TaskFunction;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.List;

/**
 * Tasks named by a public static method, {@code Owner::method}: which method a
 * {@link TaskFunction} refers to (in the supervisor), the checks a method must pass (on both
 * sides, so that the worker runs nothing {@code submit} would have refused), and a {@link Task}
 * that calls it (in the worker).
 *
 * <p>Only the name travels. A closure is never serialized: {@link #identify} reads the JDK's
 * {@link SerializedLambda} description of a method reference (which class and method it targets,
 * how many values it captures) and refuses every reference that is not to a public static method
 * with nothing captured. Stateless.
 */
public final class TaskMethods {

    /** Separates the class and the method in a task name. */
    public static final String SEPARATOR = "::";

    private static final String PLAIN_LAMBDA = "a lambda's body is a private method whose name the compiler"
            + " chooses, and its generic types are erased, so no worker can find it by name";

    private TaskMethods() {
    }

    /**
     * Finds the public static method a reference names, such as {@code Primes::count}.
     *
     * @param function the reference
     * @return the method, checked as {@link #find} checks it
     * @throws IllegalArgumentException if it is not a reference to such a method, saying why and
     *     what to write instead
     */
    public static Method identify(TaskFunction<?, ?> function) {
        SerializedLambda lambda = describe(function);
        String where = lambda.getCapturingClass().replace('/', '.');
        String owner = lambda.getImplClass().replace('/', '.');
        String target = owner + SEPARATOR + lambda.getImplMethodName();
        int kind = lambda.getImplMethodKind();
        int captured = lambda.getCapturedArgCount();
        String valueCount = captured + (captured == 1 ? " value" : " values");
        if (lambda.getImplMethodName().startsWith("lambda$")) {
            if (captured > 0) {
                throw new IllegalArgumentException("a lambda in " + where + " captures " + valueCount
                        + ": pass it in the input, and write the body as a public static method (Owner::method)");
            }
            throw new IllegalArgumentException("a lambda in " + where + " cannot be a task: " + PLAIN_LAMBDA
                    + " (a method reference the compiler wraps in a lambda, such as one to a varargs method, is one"
                    + " too); write the body as a public static method and pass Owner::method");
        }
        if (captured > 0 && kind != MethodHandleInfo.REF_invokeStatic) {
            throw new IllegalArgumentException("the reference to " + target + " in " + where
                    + " binds its receiver: the object lives in this JVM; make the method static and pass what"
                    + " it needs in the input");
        }
        if (captured > 0) {
            throw new IllegalArgumentException("the reference to " + target + " in " + where + " captures "
                    + valueCount + ": pass it in the input");
        }
        if (kind == MethodHandleInfo.REF_newInvokeSpecial) {
            throw new IllegalArgumentException("the reference to " + target + " in " + where + " is a constructor"
                    + " reference (" + owner + "::new): write a public static method that builds the output");
        }
        if (kind != MethodHandleInfo.REF_invokeStatic) {
            throw new IllegalArgumentException("the reference to " + target + " in " + where + " calls an instance"
                    + " method (" + MethodHandleInfo.referenceKindToString(kind) + ") on its input: write a public"
                    + " static method that takes the input, and pass Owner::method");
        }
        Method method;
        try {
            method = find(Class.forName(owner, false, function.getClass().getClassLoader()),
                    lambda.getImplMethodName());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("the class of " + target + " cannot be loaded from " + where, e);
        }
        String descriptor = MethodType.methodType(method.getReturnType(), method.getParameterTypes())
                .toMethodDescriptorString();
        if (!descriptor.equals(lambda.getImplMethodSignature())) {
            throw new IllegalArgumentException(target + " is " + descriptor + " but the reference names "
                    + lambda.getImplMethodSignature() + ": recompile " + where);
        }
        return method;
    }

    /**
     * Checks that a method can run as a task, in the supervisor and in the worker alike.
     *
     * @param owner the class that declares it, not initialized by this call
     * @param name the method's name
     * @return the one public static one-parameter method of that name
     * @throws IllegalArgumentException naming the method and why it can never run as a task
     */
    public static Method find(Class<?> owner, String name) {
        String target = owner.getName() + SEPARATOR + name;
        int modifiers = owner.getModifiers();
        if (!Modifier.isPublic(modifiers) || owner.isAnonymousClass() || owner.isLocalClass()
                || owner.isHidden() || (owner.isMemberClass() && !Modifier.isStatic(modifiers))) {
            throw new IllegalArgumentException(target + ": " + owner.getName() + " is not a public top-level or"
                    + " static nested class, so a worker could not call its methods");
        }
        List<Method> named = Arrays.stream(owner.getDeclaredMethods())
                .filter(m -> m.getName().equals(name) && !m.isSynthetic() && !m.isBridge())
                .toList();
        if (named.isEmpty()) {
            throw new IllegalArgumentException(target + ": " + owner.getName() + " declares no method named " + name);
        }
        if (named.size() > 1) {
            throw new IllegalArgumentException(target + " is overloaded (" + named.size() + " methods of that name):"
                    + " a worker finds a method by its name alone; give this one a name of its own");
        }
        Method method = named.get(0);
        if (!Modifier.isPublic(method.getModifiers()) || !Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException(target + " is not public and static: a task method must be"
                    + " 'public static'");
        }
        if (method.getParameterCount() != 1) {
            throw new IllegalArgumentException(target + " takes " + method.getParameterCount()
                    + " parameters: a task method takes exactly one, its input (a record can hold several values)");
        }
        if (method.getTypeParameters().length > 0) {
            throw new IllegalArgumentException(target + " is a generic method (" + Arrays.toString(
                    method.getTypeParameters()) + "): its input and output types are unknown until it is called;"
                    + " declare concrete types");
        }
        return method;
    }

    /**
     * A task that calls a checked method: the worker's counterpart of a task class's instance.
     * What the method throws reaches the caller as it was thrown, with the method's own frames.
     *
     * @param method a method that passed {@link #find}
     * @return a task calling it; the method's class is initialized on its first call, not before
     * @throws IllegalAccessException if the method is not accessible to any class (a package not
     *     exported by its module)
     */
    public static Task<Object, Object> invoker(Method method) throws IllegalAccessException {
        MethodHandle handle = MethodHandles.publicLookup().unreflect(method)
                .asType(MethodType.methodType(Object.class, Object.class));
        return input -> {
            try {
                return (Object) handle.invokeExact(input);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new UndeclaredThrowableException(t);
            }
        };
    }

    /**
     * @param method a task method
     * @return its task name, {@code <binary class name>::<method name>}
     */
    public static String nameOf(Method method) {
        return method.getDeclaringClass().getName() + SEPARATOR + method.getName();
    }

    /**
     * @param taskName a task name, a class's or a method's
     * @return its class part: the whole name for a class, the part before {@code ::} for a method
     */
    public static String ownerOf(String taskName) {
        int separator = taskName.indexOf(SEPARATOR);
        return separator < 0 ? taskName : taskName.substring(0, separator);
    }

    /**
     * Reads the JDK's description of a serializable lambda or method reference, without
     * serializing it. A method reference's hidden class has a private {@code writeReplace()} that
     * returns the description; it is called directly when this module may open the class, else
     * through an {@link ObjectOutputStream} that stops at the description: see {@link Probe}.
     */
    private static SerializedLambda describe(TaskFunction<?, ?> function) {
        Class<?> type = function.getClass();
        Object description = null;
        if (type.isHidden()) {
            try {
                Method writeReplace = type.getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                description = writeReplace.invoke(function);
            } catch (InaccessibleObjectException e) { // an explicit module that does not open the package
                description = Probe.describe(function, OutputStream.nullOutputStream());
            } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
                description = null;
            }
        }
        if (!(description instanceof SerializedLambda lambda)) {
            throw new IllegalArgumentException(function.getClass().getName() + " is an instance of a class (maybe an"
                    + " anonymous one), not a method reference: pass Owner::method for a public static method, or a"
                    + " Task class with submit(MyTask.class, input)");
        }
        return lambda;
    }

    /**
     * Asks Java serialization, which calls {@code writeReplace()} with java.base's own access, for
     * the description of a lambda, and stops there. Nothing is serialized: the stream writes to
     * {@link OutputStream#nullOutputStream()}, and {@link #replaceObject} throws as soon as it is
     * handed the description, before a single byte of the lambda, its description or anything it
     * captured is written (not even to that null sink; only the stream's fixed 4-byte header is).
     */
    static final class Probe extends ObjectOutputStream {

        private SerializedLambda found;

        private Probe(OutputStream sink) throws IOException {
            super(sink);
            enableReplaceObject(true);
        }

        /** The description of {@code function}, or {@code null}; {@code sink} is there for tests to count bytes. */
        static SerializedLambda describe(Object function, OutputStream sink) {
            try (Probe probe = new Probe(sink)) {
                try {
                    probe.writeObject(function);
                } catch (Stop stopped) {
                    // expected: replaceObject stopped the stream (an IOException would make it write a marker)
                } catch (IOException e) {
                    return null; // not serializable after all: not a serializable lambda
                }
                return probe.found;
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof SerializedLambda lambda) {
                found = lambda;
            }
            throw new Stop();
        }
    }

    /** Ends a {@link Probe} before it writes the object it was handed. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super("stopped before writing: only the description was wanted", null, false, false);
        }
    }
}
