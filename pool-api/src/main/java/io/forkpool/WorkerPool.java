package io.forkpool;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * A pool of worker JVMs, one per core by default, that runs {@link Task}s and completes
 * {@link CompletableFuture}s with their results.
 *
 * <pre>{@code
 * public final class Primes {
 *     public static long count(Range range) { ... }
 * }
 *
 * try (WorkerPool pool = WorkerPool.builder().build()) {          // one worker per core
 *     CompletableFuture<Long> one = pool.submit(Primes::count, new Range(0, 100_000));
 *     List<Long> all = pool.invokeAll(Primes::count, ranges);    // in input order; blocks
 * }
 * }</pre>
 *
 * <p>A task is either a {@link Task} class, passed as {@code CountPrimes.class}, or a reference to
 * a public static one-parameter method, such as {@code Primes::count} ({@link TaskFunction} says
 * which references work and why lambdas do not). Either way only a name and the JSON input cross
 * to the worker. A task of a worker in another language, which has no Java class, is named by a
 * {@link TaskName}, which states its input and output types.
 *
 * <p><b>Every future completes</b>: with the task's output; with a {@link TaskFailedException}
 * when the task threw; with a {@link WorkerCrashedException} when the worker process running it
 * died and it had no attempts left ({@link PoisonTaskException} when it had several and killed a
 * worker on each); with a {@link TaskTimeoutException} when it ran past its timeout; with a
 * {@link PoolFailedException} when the pool gave up restarting workers; with a
 * {@link TaskDataException} when its input could not be decoded in the worker (the task never ran),
 * or its output could not be encoded there or decoded by the pool; with a
 * {@link java.util.concurrent.CancellationException} when it was cancelled or the pool was closed
 * before the task ran.
 *
 * <p><b>Completing a future from outside</b> ({@code complete(v)}, {@code completeExceptionally},
 * {@code orTimeout}, {@code completeOnTimeout}, {@code completeAsync}) gives its callers what was
 * passed, and stops the task as {@code cancel(true)} does: a running task is asked to stop (and
 * its worker killed if it has not 500 ms later), a queued one never runs, and it counts as
 * cancelled in {@link #stats()}. For a batch's future, every input not yet done is cancelled.
 * To time a task out, set {@link TaskOptions.Builder#timeout}: it gives a
 * {@link TaskTimeoutException} naming the worker, and counts as timed out.
 *
 * <p><b>Threads</b>: all methods are thread-safe. Futures are completed on the pool's own threads
 * (a worker's I/O thread for replies, the supervisor thread for crashes and timeouts); a thread
 * blocked in {@code join()} or {@code get()} is woken by them directly. Dependent stages attached
 * without an executor ({@code thenApply} rather than {@code thenApplyAsync}) while the future is
 * pending never run on those threads: they run on the pool's callback threads
 * ({@code forkpool-callback-N}), so a stage that blocks, even in another task's {@code join()},
 * stalls no worker. A stage attached to a future already complete runs at once in the caller, as
 * usual. Progress listeners and streaming output handlers do run on the pool's threads: keep them
 * short.
 *
 * <p><b>When a task runs more than once</b>: only when its worker died while it was running
 * (a crash, an outside kill, a worker killed for not answering), and then at most
 * {@code maxAttempts} times in all. A task that had finished is never run again: its worker wrote
 * its reply before it started the next task. Tasks a dead worker held but had not started run
 * elsewhere without using an attempt.
 */
public interface WorkerPool extends AutoCloseable {

    /**
     * Starts configuring a pool; see {@link WorkerPoolBuilder} for every option and its default.
     *
     * @return a new builder
     */
    static WorkerPoolBuilder builder() {
        return new WorkerPoolBuilder();
    }

    /**
     * Queues one task. Does not block, unless the pool bounds pending tasks
     * ({@link WorkerPoolBuilder#maxPendingTasks}) and is full: the input is encoded on the calling
     * thread, then the task waits in the pool's queue until a worker pulls it. The first input of
     * each class a task is given is also decoded there as the task's input type, as a worker will
     * decode it (so the input type's deserializers run once per class in this JVM too): an input
     * that encodes but that no worker could read (a POJO without a creator, an interface-typed
     * field) fails here, not in a worker.
     *
     * @param taskClass the task to run in a worker
     * @param input its input, encoded with Jackson on this thread
     * @param <I> the input type
     * @param <O> the output type
     * @return a future completed with the output, or exceptionally as described on {@link WorkerPool}
     * @throws IllegalArgumentException if the class can never run (not public, abstract, no public
     *     no-argument constructor, unresolved type arguments) or the input cannot be encoded, or
     *     is the first of its class and does not decode as the task's input type
     * @throws RejectedExecutionException if the pool is closing, closed or failed (then caused by
     *     its {@link PoolFailedException}), or the thread was interrupted, or the pool closed, while
     *     it waited for room
     */
    default <I, O> CompletableFuture<O> submit(Class<? extends Task<I, O>> taskClass, I input) {
        return submit(taskClass, input, TaskOptions.DEFAULT);
    }

    /**
     * Queues one task with its own retry or timeout settings; otherwise as {@link #submit(Class, Object)}.
     * Cancelling the returned future with {@code cancel(true)} while the task runs asks its worker
     * to stop it, as a timeout does; so does completing it from outside (e.g. {@code orTimeout}),
     * which counts as cancelled: use {@link TaskOptions.Builder#timeout} to time a task out.
     *
     * @param taskClass the task to run in a worker
     * @param input its input
     * @param options overrides of the pool's settings for this task
     * @param <I> the input type
     * @param <O> the output type
     * @return a future completed with the output, or exceptionally as described on {@link WorkerPool}
     * @throws IllegalArgumentException as for {@link #submit(Class, Object)}
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    <I, O> CompletableFuture<O> submit(Class<? extends Task<I, O>> taskClass, I input, TaskOptions options);

    /**
     * Queues one task per input and returns a future of all outputs in input order. Does not
     * block, unless the pool bounds pending tasks and is full. Every input is encoded on the
     * calling thread before any is queued (the first of each class decoded too, as by
     * {@link #submit(Class, Object)}), so an input that cannot be encoded queues nothing; an
     * empty list gives a future already completed with an empty list.
     *
     * <p>The inputs travel in chunks: each time a worker asks for work it gets about a millisecond
     * of inputs (one input at first, then each chunk's measured time scales the next chunk of this
     * task class by at most 2× either way), in one frame, and answers them in one reply; chunks shrink towards
     * the end so every worker finishes at about the same time. Per-input guarantees hold: a
     * failure's {@link TaskFailedException#inputIndex()} names its input, and if a worker dies
     * during a chunk, its inputs are retried one by one with the next attempt, so a poisonous
     * input fails alone ({@link PoisonTaskException}) while its neighbours succeed. Inputs with a
     * timeout, and inputs of a pool that bounds pending tasks, travel one per task.
     *
     * <p>The returned future completes when every task has succeeded, or, as soon as one fails,
     * exceptionally with that task's exception; the tasks not yet started are then cancelled.
     * Cancelling the returned future cancels the tasks that have not completed.
     *
     * @param taskClass the task to run in a worker
     * @param inputs the inputs, one task each
     * @param <I> the input type
     * @param <O> the output type
     * @return a future of the outputs, in the order of {@code inputs}
     * @throws IllegalArgumentException as for {@link #submit(Class, Object)}, for any input
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    default <I, O> CompletableFuture<List<O>> submitAll(Class<? extends Task<I, O>> taskClass,
            List<? extends I> inputs) {
        return submitAll(taskClass, inputs, TaskOptions.DEFAULT);
    }

    /**
     * Queues one task per input, each with the given settings; otherwise as {@link #submitAll(Class, List)}.
     *
     * @param taskClass the task to run in a worker
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param <I> the input type
     * @param <O> the output type
     * @return a future of the outputs, in the order of {@code inputs}
     * @throws IllegalArgumentException as for {@link #submitAll(Class, List)}
     * @throws RejectedExecutionException as for {@link #submitAll(Class, List)}
     */
    default <I, O> CompletableFuture<List<O>> submitAll(Class<? extends Task<I, O>> taskClass,
            List<? extends I> inputs, TaskOptions options) {
        return submitAll(taskClass, inputs, options, ProgressListener.NONE);
    }

    /**
     * Queues one task per input and reports the batch's progress to a listener at a bounded rate;
     * otherwise as {@link #submitAll(Class, List)}. The listener's last report
     * ({@link BatchProgress#finished()}) is made before the returned future completes.
     *
     * @param taskClass the task to run in a worker
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param progress receives the batch's progress; {@link ProgressListener#NONE} for none
     * @param <I> the input type
     * @param <O> the output type
     * @return a future of the outputs, in the order of {@code inputs}
     * @throws IllegalArgumentException as for {@link #submitAll(Class, List)}
     * @throws RejectedExecutionException as for {@link #submitAll(Class, List)}
     */
    <I, O> CompletableFuture<List<O>> submitAll(Class<? extends Task<I, O>> taskClass, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress);

    /**
     * The streaming batch call: queues one task per input, like {@link #submitAll}, but hands each
     * output to {@code handler} as soon as its task completes instead of gathering a list, so the
     * outputs of a long batch can be consumed, and dropped, while it runs. Does not block, unless
     * the pool bounds pending tasks and is full.
     *
     * <p>Each successful input's output is handed over exactly once, in completion order, on a
     * pool thread. Fails fast like {@code submitAll}: the returned future completes exceptionally
     * with the first failure (or with what the handler threw) and the tasks not yet started are
     * cancelled; outputs completing after that are not handed over. Cancelling the returned future
     * cancels the tasks that have not completed.
     *
     * @param taskClass the task to run in a worker
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param progress receives the batch's progress; {@link ProgressListener#NONE} for none
     * @param handler receives each output with its input's index; must be thread-safe
     * @param <I> the input type
     * @param <O> the output type
     * @return a future completed, with {@code null}, once every output has been handed over
     * @throws IllegalArgumentException as for {@link #submitAll(Class, List)}
     * @throws RejectedExecutionException as for {@link #submitAll(Class, List)}
     */
    <I, O> CompletableFuture<Void> submitAllStreaming(Class<? extends Task<I, O>> taskClass, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler);

    /**
     * Runs one task per input and waits for all outputs, in input order. Blocks.
     *
     * <p>Fails fast: when one task fails, the tasks not yet started are cancelled and that task's
     * exception is thrown: one of the {@link ForkPoolException}s listed on {@link WorkerPool}.
     *
     * @param taskClass the task to run in a worker
     * @param inputs the inputs, one task each
     * @param <I> the input type
     * @param <O> the output type
     * @return the outputs, in the order of {@code inputs}
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *     remaining tasks are then cancelled
     * @throws ForkPoolException the first failure, as described above
     * @throws java.util.concurrent.CancellationException if the pool was closed before all tasks
     *     ran ({@link #closeNow()}, or {@link #close()} past its timeout)
     * @throws IllegalArgumentException as for {@link #submitAll(Class, List)}
     * @throws RejectedExecutionException as for {@link #submitAll(Class, List)}
     */
    default <I, O> List<O> invokeAll(Class<? extends Task<I, O>> taskClass, List<? extends I> inputs)
            throws InterruptedException {
        return invokeAll(taskClass, inputs, TaskOptions.DEFAULT);
    }

    /**
     * Runs one task per input with the given settings and waits; otherwise as {@link #invokeAll(Class, List)}.
     *
     * @param taskClass the task to run in a worker
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param <I> the input type
     * @param <O> the output type
     * @return the outputs, in the order of {@code inputs}
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *     remaining tasks are then cancelled
     * @throws ForkPoolException the first failure, as for {@link #invokeAll(Class, List)}
     */
    default <I, O> List<O> invokeAll(Class<? extends Task<I, O>> taskClass, List<? extends I> inputs,
            TaskOptions options) throws InterruptedException {
        return invokeAll(taskClass, inputs, options, ProgressListener.NONE);
    }

    /**
     * Runs one task per input, reports the batch's progress to a listener at a bounded rate, and
     * waits; otherwise as {@link #invokeAll(Class, List)}. The listener's last report is made
     * before this method returns or throws.
     *
     * @param taskClass the task to run in a worker
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param progress receives the batch's progress; {@link ProgressListener#NONE} for none
     * @param <I> the input type
     * @param <O> the output type
     * @return the outputs, in the order of {@code inputs}
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *     remaining tasks are then cancelled
     * @throws ForkPoolException the first failure, as for {@link #invokeAll(Class, List)}
     */
    default <I, O> List<O> invokeAll(Class<? extends Task<I, O>> taskClass, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress) throws InterruptedException {
        return await(submitAll(taskClass, inputs, options, progress));
    }

    // ---- method references: the same calls, with a task named by Owner::method ----------------

    /**
     * Queues one task that runs a public static method in a worker, named by a reference such as
     * {@code Primes::count}; otherwise as {@link #submit(Class, Object)}. The method's parameter
     * and return types, generic arguments included, are the task's input and output types.
     *
     * @param function a reference to a public static one-parameter method
     * @param input its input, encoded with Jackson on this thread
     * @param <I> the input type
     * @param <O> the output type
     * @return a future completed with the output, or exceptionally as described on {@link WorkerPool}
     * @throws IllegalArgumentException if {@code function} is not such a reference (a lambda, a
     *     bound {@code obj::method}, an overloaded or generic method...; the message says why and
     *     what to write instead), the allow-list refuses its class, or the input cannot be encoded
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    default <I, O> CompletableFuture<O> submit(TaskFunction<I, O> function, I input) {
        return submit(function, input, TaskOptions.DEFAULT);
    }

    /**
     * Queues one method-reference task with its own settings; as {@link #submit(Class, Object, TaskOptions)}.
     *
     * @param function a reference to a public static one-parameter method
     * @param input its input
     * @param options overrides of the pool's settings for this task
     * @param <I> the input type
     * @param <O> the output type
     * @return a future completed with the output, or exceptionally as described on {@link WorkerPool}
     * @throws IllegalArgumentException as for {@link #submit(TaskFunction, Object)}
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    <I, O> CompletableFuture<O> submit(TaskFunction<I, O> function, I input, TaskOptions options);

    /**
     * Queues one method-reference task per input; as {@link #submitAll(Class, List)}.
     *
     * @param function a reference to a public static one-parameter method
     * @param inputs the inputs, one task each
     * @param <I> the input type
     * @param <O> the output type
     * @return a future of the outputs, in the order of {@code inputs}
     * @throws IllegalArgumentException as for {@link #submit(TaskFunction, Object)}, for any input
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    default <I, O> CompletableFuture<List<O>> submitAll(TaskFunction<I, O> function, List<? extends I> inputs) {
        return submitAll(function, inputs, TaskOptions.DEFAULT);
    }

    /**
     * Queues one method-reference task per input with the given settings; as
     * {@link #submitAll(Class, List, TaskOptions)}.
     *
     * @param function a reference to a public static one-parameter method
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param <I> the input type
     * @param <O> the output type
     * @return a future of the outputs, in the order of {@code inputs}
     * @throws IllegalArgumentException as for {@link #submitAll(TaskFunction, List)}
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    default <I, O> CompletableFuture<List<O>> submitAll(TaskFunction<I, O> function, List<? extends I> inputs,
            TaskOptions options) {
        return submitAll(function, inputs, options, ProgressListener.NONE);
    }

    /**
     * Queues one method-reference task per input and reports progress; as
     * {@link #submitAll(Class, List, TaskOptions, ProgressListener)}.
     *
     * @param function a reference to a public static one-parameter method
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param progress receives the batch's progress; {@link ProgressListener#NONE} for none
     * @param <I> the input type
     * @param <O> the output type
     * @return a future of the outputs, in the order of {@code inputs}
     * @throws IllegalArgumentException as for {@link #submitAll(TaskFunction, List)}
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    <I, O> CompletableFuture<List<O>> submitAll(TaskFunction<I, O> function, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress);

    /**
     * The streaming batch call for a method reference; as
     * {@link #submitAllStreaming(Class, List, TaskOptions, ProgressListener, OutputHandler)}.
     *
     * @param function a reference to a public static one-parameter method
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param progress receives the batch's progress; {@link ProgressListener#NONE} for none
     * @param handler receives each output with its input's index; must be thread-safe
     * @param <I> the input type
     * @param <O> the output type
     * @return a future completed, with {@code null}, once every output has been handed over
     * @throws IllegalArgumentException as for {@link #submitAll(TaskFunction, List)}
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    <I, O> CompletableFuture<Void> submitAllStreaming(TaskFunction<I, O> function, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler);

    /**
     * Runs one method-reference task per input and waits for all outputs, in input order; as
     * {@link #invokeAll(Class, List)}. Blocks.
     *
     * @param function a reference to a public static one-parameter method
     * @param inputs the inputs, one task each
     * @param <I> the input type
     * @param <O> the output type
     * @return the outputs, in the order of {@code inputs}
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *     remaining tasks are then cancelled
     * @throws ForkPoolException the first failure, as for {@link #invokeAll(Class, List)}
     */
    default <I, O> List<O> invokeAll(TaskFunction<I, O> function, List<? extends I> inputs)
            throws InterruptedException {
        return invokeAll(function, inputs, TaskOptions.DEFAULT);
    }

    /**
     * Runs one method-reference task per input with the given settings and waits; as
     * {@link #invokeAll(Class, List, TaskOptions)}.
     *
     * @param function a reference to a public static one-parameter method
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param <I> the input type
     * @param <O> the output type
     * @return the outputs, in the order of {@code inputs}
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *     remaining tasks are then cancelled
     * @throws ForkPoolException the first failure, as for {@link #invokeAll(Class, List)}
     */
    default <I, O> List<O> invokeAll(TaskFunction<I, O> function, List<? extends I> inputs, TaskOptions options)
            throws InterruptedException {
        return invokeAll(function, inputs, options, ProgressListener.NONE);
    }

    /**
     * Runs one method-reference task per input, reports progress, and waits; as
     * {@link #invokeAll(Class, List, TaskOptions, ProgressListener)}.
     *
     * @param function a reference to a public static one-parameter method
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param progress receives the batch's progress; {@link ProgressListener#NONE} for none
     * @param <I> the input type
     * @param <O> the output type
     * @return the outputs, in the order of {@code inputs}
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *     remaining tasks are then cancelled
     * @throws ForkPoolException the first failure, as for {@link #invokeAll(Class, List)}
     */
    default <I, O> List<O> invokeAll(TaskFunction<I, O> function, List<? extends I> inputs, TaskOptions options,
            ProgressListener progress) throws InterruptedException {
        return await(submitAll(function, inputs, options, progress));
    }

    // ---- tasks named by a string, with explicit types: tasks of workers in other languages ------

    /**
     * Queues one task known by name only, such as a task of a worker in another language that has
     * no Java class: {@code pool.submit(TaskName.of("com.example.count_primes", Range.class,
     * Long.class), range)}. The input is encoded as the name's input type and the output decoded
     * strictly as its output type; otherwise as {@link #submit(Class, Object)}.
     *
     * @param task the task's name and its input and output types
     * @param input its input, encoded with Jackson on this thread
     * @param <I> the input type
     * @param <O> the output type
     * @return a future completed with the output, or exceptionally as described on {@link WorkerPool}
     * @throws IllegalArgumentException if the allow-list refuses the name, or the input cannot be
     *     encoded, or is the first of its class and does not decode as the input type
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    default <I, O> CompletableFuture<O> submit(TaskName<I, O> task, I input) {
        return submit(task, input, TaskOptions.DEFAULT);
    }

    /**
     * Queues one task known by name only, with its own settings; as {@link #submit(Class, Object, TaskOptions)}.
     *
     * @param task the task's name and its input and output types
     * @param input its input
     * @param options overrides of the pool's settings for this task
     * @param <I> the input type
     * @param <O> the output type
     * @return a future completed with the output, or exceptionally as described on {@link WorkerPool}
     * @throws IllegalArgumentException as for {@link #submit(TaskName, Object)}
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    <I, O> CompletableFuture<O> submit(TaskName<I, O> task, I input, TaskOptions options);

    /**
     * Queues one task per input for a task known by name only; as {@link #submitAll(Class, List)}.
     *
     * @param task the task's name and its input and output types
     * @param inputs the inputs, one task each
     * @param <I> the input type
     * @param <O> the output type
     * @return a future of the outputs, in the order of {@code inputs}
     * @throws IllegalArgumentException as for {@link #submit(TaskName, Object)}, for any input
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    default <I, O> CompletableFuture<List<O>> submitAll(TaskName<I, O> task, List<? extends I> inputs) {
        return submitAll(task, inputs, TaskOptions.DEFAULT);
    }

    /**
     * Queues one task per input for a task known by name only, with the given settings; as
     * {@link #submitAll(Class, List, TaskOptions)}.
     *
     * @param task the task's name and its input and output types
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param <I> the input type
     * @param <O> the output type
     * @return a future of the outputs, in the order of {@code inputs}
     * @throws IllegalArgumentException as for {@link #submitAll(TaskName, List)}
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    default <I, O> CompletableFuture<List<O>> submitAll(TaskName<I, O> task, List<? extends I> inputs,
            TaskOptions options) {
        return submitAll(task, inputs, options, ProgressListener.NONE);
    }

    /**
     * Queues one task per input for a task known by name only and reports progress; as
     * {@link #submitAll(Class, List, TaskOptions, ProgressListener)}.
     *
     * @param task the task's name and its input and output types
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param progress receives the batch's progress; {@link ProgressListener#NONE} for none
     * @param <I> the input type
     * @param <O> the output type
     * @return a future of the outputs, in the order of {@code inputs}
     * @throws IllegalArgumentException as for {@link #submitAll(TaskName, List)}
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    <I, O> CompletableFuture<List<O>> submitAll(TaskName<I, O> task, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress);

    /**
     * The streaming batch call for a task known by name only; as
     * {@link #submitAllStreaming(Class, List, TaskOptions, ProgressListener, OutputHandler)}.
     *
     * @param task the task's name and its input and output types
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param progress receives the batch's progress; {@link ProgressListener#NONE} for none
     * @param handler receives each output with its input's index; must be thread-safe
     * @param <I> the input type
     * @param <O> the output type
     * @return a future completed, with {@code null}, once every output has been handed over
     * @throws IllegalArgumentException as for {@link #submitAll(TaskName, List)}
     * @throws RejectedExecutionException as for {@link #submit(Class, Object)}
     */
    <I, O> CompletableFuture<Void> submitAllStreaming(TaskName<I, O> task, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler);

    /**
     * Runs one task per input for a task known by name only and waits for all outputs, in input
     * order; as {@link #invokeAll(Class, List)}. Blocks.
     *
     * @param task the task's name and its input and output types
     * @param inputs the inputs, one task each
     * @param <I> the input type
     * @param <O> the output type
     * @return the outputs, in the order of {@code inputs}
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *     remaining tasks are then cancelled
     * @throws ForkPoolException the first failure, as for {@link #invokeAll(Class, List)}
     */
    default <I, O> List<O> invokeAll(TaskName<I, O> task, List<? extends I> inputs) throws InterruptedException {
        return invokeAll(task, inputs, TaskOptions.DEFAULT);
    }

    /**
     * Runs one task per input for a task known by name only, with the given settings, and waits;
     * as {@link #invokeAll(Class, List, TaskOptions)}.
     *
     * @param task the task's name and its input and output types
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param <I> the input type
     * @param <O> the output type
     * @return the outputs, in the order of {@code inputs}
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *     remaining tasks are then cancelled
     * @throws ForkPoolException the first failure, as for {@link #invokeAll(Class, List)}
     */
    default <I, O> List<O> invokeAll(TaskName<I, O> task, List<? extends I> inputs, TaskOptions options)
            throws InterruptedException {
        return invokeAll(task, inputs, options, ProgressListener.NONE);
    }

    /**
     * Runs one task per input for a task known by name only, reports progress, and waits; as
     * {@link #invokeAll(Class, List, TaskOptions, ProgressListener)}.
     *
     * @param task the task's name and its input and output types
     * @param inputs the inputs, one task each
     * @param options overrides of the pool's settings for every task of the batch
     * @param progress receives the batch's progress; {@link ProgressListener#NONE} for none
     * @param <I> the input type
     * @param <O> the output type
     * @return the outputs, in the order of {@code inputs}
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *     remaining tasks are then cancelled
     * @throws ForkPoolException the first failure, as for {@link #invokeAll(Class, List)}
     */
    default <I, O> List<O> invokeAll(TaskName<I, O> task, List<? extends I> inputs, TaskOptions options,
            ProgressListener progress) throws InterruptedException {
        return await(submitAll(task, inputs, options, progress));
    }

    /** Waits for a batch: cancels it if interrupted, and throws its failure unwrapped. */
    private static <T> T await(CompletableFuture<T> all) throws InterruptedException {
        try {
            return all.get();
        } catch (InterruptedException e) {
            all.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new ForkPoolException("batch failed: " + cause, cause);
        }
    }

    /**
     * Takes a snapshot of the pool: its workers, its task counters and its latency distributions
     * (see {@link PoolStats} for what each figure means). Never blocks on tasks; takes tens of
     * microseconds, so it can be called many times a second. The same figures are published over
     * JMX as an MXBean named {@code io.forkpool:type=WorkerPool,name=<pool name>} while the pool runs
     * (registered in the background just after {@code build()} returns, removed by {@code close()}).
     *
     * @return a snapshot
     */
    PoolStats stats();

    /**
     * Closes gracefully: stops accepting tasks, lets queued and running tasks finish (for at most
     * {@link WorkerPoolBuilder#closeTimeout}), then stops every worker (asks, waits, then kills
     * its whole process tree) and waits for each to exit. Tasks still unfinished when the timeout
     * expires complete with a {@link java.util.concurrent.CancellationException}, as they do when
     * the calling thread is interrupted while it waits (its interrupt flag stays set). Blocks until
     * the workers are gone; idempotent: a second call waits for the first to finish.
     *
     * <p>Do not call it from a progress listener or an output handler: they run on the pool's
     * own threads, which complete the tasks it would wait for, so it would wait the whole close
     * timeout and then cancel them. (Dependent stages run off those threads and may call it.)
     *
     * <p>A pool never closed is closed by a JVM shutdown hook as the JVM exits, as by
     * {@link #closeNow()}: its queued and running tasks are cancelled, not run, and a WARN in the
     * log says how many.
     */
    @Override
    void close();

    /**
     * Closes at once: stops accepting tasks, completes queued and running tasks with a
     * {@link java.util.concurrent.CancellationException}, and kills the workers. Blocks until the
     * workers are gone; idempotent.
     */
    void closeNow();
}
