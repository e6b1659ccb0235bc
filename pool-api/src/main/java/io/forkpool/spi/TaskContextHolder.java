package io.forkpool.spi;

import io.forkpool.TaskContext;

/**
 * Where a worker runtime puts the {@link TaskContext} of the task it is running, for
 * {@link TaskContext#current()}. Only runtimes call {@link #set}.
 */
public final class TaskContextHolder {

    private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

    private TaskContextHolder() {
    }

    /**
     * Sets or clears the current thread's task context.
     *
     * @param context the context of the task about to run, or {@code null} after it ran
     */
    public static void set(TaskContext context) {
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
    }

    /** @return the current thread's task context, or {@code null} */
    public static TaskContext get() {
        return CURRENT.get();
    }
}
