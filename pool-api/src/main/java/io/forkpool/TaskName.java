package io.forkpool;

import java.lang.invoke.MethodType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A task known by its name only, with its input and output types stated here: the way to submit to
 * a worker in another language, whose tasks have no Java class.
 *
 * <pre>{@code
 * TaskName<Range, Long> countPrimes = TaskName.of("io.forkpool.examples.CountPrimes", Range.class, Long.class);
 * long count = pool.submit(countPrimes, new Range(0, 100_000)).join();
 * TaskName<Integer, List<Long>> squares =
 *         TaskName.of("com.example.squares", TypeRef.of(Integer.class), new TypeRef<List<Long>>() {});
 * }</pre>
 *
 * <p>The name is sent to the worker as it is, in the {@code TASK} frame, and the worker runs
 * whatever it has registered under it; inputs are encoded as the input type, and outputs decoded
 * strictly as the output type, exactly as for a {@link Task} class with those type arguments. The
 * pool cannot check that the worker's task really takes and returns these types: a mismatch shows
 * as a {@link TaskDataException}. The pool's allow-list applies to the name as it does to a class's
 * name ({@code submit} refuses a name it does not allow); a name the worker does not know fails its
 * task with a {@link TaskFailedException} whose {@link TaskFailedException#remoteExceptionClass()}
 * is {@link TaskFailedException#UNKNOWN_TASK} (docs/PROTOCOL.md 4.2). A cluster's nodes run Java
 * workers only, so there the name must name a task class (or {@code Class::method}) on the nodes'
 * class path, which a node checks before it runs anything.
 *
 * <p>A name has the form of a binary class name, optionally followed by {@code ::} and a method
 * name: identifiers separated by dots ({@code com.example.CountPrimes}, {@code count_primes},
 * {@code com.example.Outer$Inner}, {@code com.example.Primes::count}), an identifier being what
 * docs/PROTOCOL.md 4.1 defines for the allow-list. Immutable; equal when name and types are.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class TaskName<I, O> {

    private static final String IDENTIFIER = "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*";
    private static final Pattern NAME = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*(::" + IDENTIFIER + ")?");
    /** The most bytes of UTF-8 a name may take: its length travels as an unsigned 16-bit integer. */
    private static final int MAX_NAME_BYTES = 65_535;

    private final String name;
    private final Type inputType;
    private final Type outputType;

    private TaskName(String name, Type inputType, Type outputType) {
        this.name = checkedName(name);
        this.inputType = inputType;
        this.outputType = outputType;
    }

    /**
     * A task with plain (non-generic) input and output types.
     *
     * @param name the task's name, as the worker registers it
     * @param inputType the class its input is encoded as; a primitive class stands for its wrapper
     * @param outputType the class its output is decoded as; a primitive class stands for its
     *     wrapper, {@code void.class} for {@link Void}
     * @param <I> the input type
     * @param <O> the output type
     * @return the task
     * @throws IllegalArgumentException if the name is not of the form described on {@link TaskName}
     */
    public static <I, O> TaskName<I, O> of(String name, Class<I> inputType, Class<O> outputType) {
        return new TaskName<>(name, boxed(Objects.requireNonNull(inputType, "inputType")),
                boxed(Objects.requireNonNull(outputType, "outputType")));
    }

    /**
     * A task whose input or output type is generic, such as {@code List<Long>}.
     *
     * @param name the task's name, as the worker registers it
     * @param inputType its input type
     * @param outputType its output type
     * @param <I> the input type
     * @param <O> the output type
     * @return the task
     * @throws IllegalArgumentException if the name is not of the form described on {@link TaskName}
     */
    public static <I, O> TaskName<I, O> of(String name, TypeRef<I> inputType, TypeRef<O> outputType) {
        return new TaskName<>(name, Objects.requireNonNull(inputType, "inputType").type(),
                Objects.requireNonNull(outputType, "outputType").type());
    }

    /** @return the task's name, as it travels to the worker */
    public String name() {
        return name;
    }

    /** @return the type its inputs are encoded as */
    public Type inputType() {
        return inputType;
    }

    /** @return the type its outputs are decoded as */
    public Type outputType() {
        return outputType;
    }

    private static String checkedName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + name + "\" is not a task name: expected identifiers separated by"
                    + " dots, as a binary class name (com.example.CountPrimes, count_primes), optionally followed by"
                    + " ::method");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a task name takes at most " + MAX_NAME_BYTES + " bytes of UTF-8: "
                    + name.substring(0, 40) + "...");
        }
        return name;
    }

    /** The wrapper of a primitive class ({@code void} as {@link Void}), any other class itself. */
    static Type boxed(Class<?> type) {
        return type.isPrimitive() ? MethodType.methodType(type).wrap().returnType() : type;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskName<?, ?> task && task.name.equals(name) && task.inputType.equals(inputType)
                && task.outputType.equals(outputType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, inputType, outputType);
    }

    @Override
    public String toString() {
        return name + "(" + inputType.getTypeName() + ") -> " + outputType.getTypeName();
    }
}
