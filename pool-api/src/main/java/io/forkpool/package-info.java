/**
 * forkpool's public API: run CPU-heavy {@link io.forkpool.Task}s in a pool of separate worker
 * JVMs and get their results as {@link java.util.concurrent.CompletableFuture}s.
 *
 * <p>The contract in one paragraph: a {@link io.forkpool.WorkerPool} built by
 * {@link io.forkpool.WorkerPool#builder()} starts one worker JVM per core; {@code submit} encodes
 * the input with Jackson and queues the task; workers pull tasks, run them and send back the
 * output; every future completes — with the output, with a {@link io.forkpool.TaskFailedException}
 * when the task threw, with a {@link io.forkpool.WorkerCrashedException} when its worker died, or
 * with a cancellation. {@code close()} drains, then stops every worker process.
 *
 * <p>This package has no dependency beyond the JDK; Jackson is an implementation detail of the
 * runtime, although inputs and outputs must be types Jackson can encode.
 */
package io.forkpool;
