package io.forkpool;

/**
 * A unit of work that runs inside a worker JVM.
 *
 * <p>A task can also be a public static one-parameter method, submitted as a method reference
 * such as {@code Primes::count} ({@link TaskFunction}); this interface is the form for a class.
 *
 * <p>The pool names the implementing class on the wire; the worker loads it, creates one instance
 * with its public no-argument constructor and calls {@link #execute} for each input it receives.
 * The input and output types are taken from the class's declaration (for example
 * {@code class CountPrimes implements Task<Range, Long>}) and travel as Jackson documents, so
 * they may be records, collections, boxed primitives or any other type Jackson can read and
 * write without polymorphic type information.
 *
 * <p>Requirements on an implementation, checked by {@code submit} before anything is sent:
 * a public, concrete, top-level or static nested class with a public no-argument constructor,
 * whose type arguments {@code I} and {@code O} are concrete.
 *
 * <p>Thread-safety: a worker runs one task at a time, but it may reuse one instance for many
 * inputs, so an implementation should keep no per-input state in fields.
 *
 * <pre>{@code
 * public final class CountPrimes implements Task<Range, Long> {
 *     public Long execute(Range range) {
 *         long count = 0;
 *         for (long n = range.from(); n < range.to(); n++) if (isPrime(n)) count++;
 *         return count;
 *     }
 * }
 * }</pre>
 *
 * @param <I> the input type, decoded in the worker
 * @param <O> the output type, decoded in the supervisor
 */
@FunctionalInterface
public interface Task<I, O> {

    /**
     * Runs the task on one input, in the worker JVM.
     *
     * @param input the decoded input; {@code null} if {@code null} was submitted
     * @return the output, sent back to the supervisor; may be {@code null}
     * @throws Exception any failure; it reaches the caller as a {@link TaskFailedException}
     *     carrying its class name, message and stack trace, and the worker lives on
     */
    O execute(I input) throws Exception;
}
