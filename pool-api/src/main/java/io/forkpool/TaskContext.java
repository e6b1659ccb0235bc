package io.forkpool;

import java.util.Optional;

/**
 * What a running task may know about itself. Inside {@link Task#execute} in a worker,
 * {@link #current()} returns the context of the task on the calling thread.
 *
 * <pre>{@code
 * public Long execute(Range range) {
 *     TaskContext context = TaskContext.current().orElseThrow();
 *     for (long n = range.from(); n < range.to(); n++) {
 *         if (context.isCancelled()) throw new CancellationException();
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Cancellation is also delivered as a thread interrupt, so blocking calls end with an
 * {@link InterruptedException}; {@link #isCancelled()} is for loops that never block.
 */
public interface TaskContext {

    /**
     * The id this run of the task was sent under, unique within its pool: a task sent again (a
     * retry after its worker died under it, or a re-send of a task whose worker died before it
     * started) gets a fresh id each time, so an id never names two sends. The exceptions and
     * reports about a run ({@link TaskFailedException}, {@link TaskDataException},
     * {@link TaskTimeoutException}, {@link WorkerCrashedException}) name the id it ran under, and
     * a {@link PoisonTaskException} lists every attempt with its own.
     *
     * @return the pool-assigned id of this run of the task
     */
    long taskId();

    /** @return which attempt this is, from 1; above 1 only when an earlier worker died running it */
    int attempt();

    /** @return the id of the worker slot running the task */
    int workerId();

    /** @return true once the supervisor asked to cancel this task (timeout or {@code cancel(true)}) */
    boolean isCancelled();

    /**
     * Returns the context of the task running on this thread.
     *
     * @return the context, or empty outside a task
     */
    static Optional<TaskContext> current() {
        return Optional.ofNullable(io.forkpool.spi.TaskContextHolder.get());
    }
}
