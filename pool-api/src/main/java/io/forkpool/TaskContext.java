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

    /** @return the pool-assigned id of the task, unique within its pool */
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
