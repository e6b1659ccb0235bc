package io.forkpool;

import java.io.Serializable;

/**
 * A task named by a reference to a public static method, such as {@code Primes::count} for
 * {@code public static long count(Range range)}: the form {@link WorkerPool}'s method-reference
 * overloads take.
 *
 * <p>Only the method's name crosses to the worker, as {@code <binary class name>::<method name>}
 * (for example {@code io.forkpool.examples.Primes::count}); the worker finds the method by that
 * name, as it finds a {@link Task} class, and the input and output types are taken from the
 * method's generic signature. {@code submit} reads which method a reference names and refuses
 * anything else before anything is sent, saying what to write instead:
 * <ul>
 *   <li>a lambda, capturing or not (its body is a private method whose name the compiler chooses,
 *       and its generic types are erased): write the body as a public static method;</li>
 *   <li>a reference with a bound receiver ({@code obj::method}), an instance method or a
 *       constructor reference: the object lives in this JVM, so pass what it holds in the input;</li>
 *   <li>an instance of a class implementing this interface, anonymous or not;</li>
 *   <li>a method that is not public, not static, overloaded, generic ({@code <T>}), or does not
 *       take exactly one parameter, or whose class is not public.</li>
 * </ul>
 *
 * <p>The interface extends {@link Serializable} only so that the pool can read which method a
 * reference names (the JDK's {@code java.lang.invoke.SerializedLambda} metadata). The reference
 * is never serialized, no byte of it is ever written, and {@link #apply} is never called by the
 * pool: the worker calls the named method itself.
 *
 * @param <I> the method's parameter type, decoded in the worker
 * @param <O> the method's return type (boxed), decoded in the supervisor
 */
@FunctionalInterface
public interface TaskFunction<I, O> extends Serializable {

    /**
     * The method the reference names; the pool never calls it through this interface.
     *
     * @param input the input
     * @return the output
     * @throws Exception whatever the method throws
     */
    O apply(I input) throws Exception;
}
