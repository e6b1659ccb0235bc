package io.forkpool;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Per-task overrides of the pool's retry and timeout settings, for
 * {@link WorkerPool#submit(Class, Object, TaskOptions)} and the batch calls. Immutable; anything
 * not set falls back to the pool's setting.
 *
 * <pre>{@code
 * pool.submit(RiskyTask.class, input, TaskOptions.builder().maxAttempts(1).timeout(Duration.ofSeconds(5)).build());
 * }</pre>
 */
public final class TaskOptions {

    /** No overrides: the pool's settings apply. */
    public static final TaskOptions DEFAULT = new TaskOptions(0, null);

    private final int maxAttempts;
    private final Duration timeout;

    private TaskOptions(int maxAttempts, Duration timeout) {
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
    }

    /** @return a builder with no overrides */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the attempt limit for this task, if it overrides the pool's */
    public OptionalInt maxAttempts() {
        return maxAttempts == 0 ? OptionalInt.empty() : OptionalInt.of(maxAttempts);
    }

    /** @return the timeout for this task, if it overrides the pool's */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    @Override
    public String toString() {
        return "TaskOptions[maxAttempts=" + (maxAttempts == 0 ? "pool" : maxAttempts) + ", timeout="
                + (timeout == null ? "pool" : timeout) + "]";
    }

    /** Builds {@link TaskOptions}. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts;
        private Duration timeout;

        private Builder() {
        }

        /**
         * Sets how many times the task may run in total when its worker dies under it (1 = never
         * retried). See {@link WorkerPoolBuilder#maxAttempts(int)}.
         *
         * @param attempts from 1 to 100
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > PoolOptions.MAX_ATTEMPTS) {
                throw new IllegalArgumentException("maxAttempts must be in [1, " + PoolOptions.MAX_ATTEMPTS + "]: "
                        + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Sets how long one attempt may run in its worker before it is cancelled; see
         * {@link WorkerPoolBuilder#taskTimeout(Duration)}. This is the way to time a task out: the
         * clock runs from when its worker starts it, not while it waits in the queue, and the
         * future fails with a {@link TaskTimeoutException}. A future's own {@code orTimeout}
         * counts from the call, and cancels the task (see {@link WorkerPool}).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** @return the options */
        public TaskOptions build() {
            return new TaskOptions(maxAttempts, timeout);
        }
    }
}
