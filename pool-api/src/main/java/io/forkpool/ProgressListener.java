package io.forkpool;

import java.time.Duration;
import java.util.Objects;

/**
 * Receives a batch call's {@link BatchProgress} at a bounded rate: at most one report per
 * {@link #interval()} while the batch runs, measured from the batch's start, and then exactly one
 * report with {@link BatchProgress#finished()} set. Reports are made one at a time, never
 * concurrently, so the listener needs no locking of its own; they come from the pool's threads,
 * which complete tasks, so a listener must be quick and must not block: a slow one delays results.
 * (The last report of a cancelled batch comes from the thread that cancelled it.) A listener that
 * throws is logged and not called again for that batch; the batch goes on. One listener may serve
 * several batches at once, and is then called concurrently for different batches.
 *
 * <p>Reports are made when inputs complete: a batch whose tasks all run long reports when they
 * end, not on a timer.
 *
 * <pre>{@code
 * pool.invokeAll(CountPrimes.class, ranges, TaskOptions.DEFAULT,
 *         ProgressListener.every(Duration.ofSeconds(1), p -> System.err.println(p.done() + "/" + p.total())));
 * }</pre>
 */
@FunctionalInterface
public interface ProgressListener {

    /** The interval of a listener that does not choose one: 100 ms. */
    Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    /** No listener: the batch makes no reports at all. */
    ProgressListener NONE = progress -> { };

    /**
     * Receives one report.
     *
     * @param progress how far the batch has got
     */
    void onProgress(BatchProgress progress);

    /**
     * The shortest time between two reports, read once when a batch starts.
     *
     * @return a positive duration; {@link #DEFAULT_INTERVAL} unless overridden
     */
    default Duration interval() {
        return DEFAULT_INTERVAL;
    }

    /**
     * A listener reporting at most once per the given interval.
     *
     * @param interval the shortest time between two reports, positive
     * @param listener what receives them
     * @return a listener with that interval
     * @throws IllegalArgumentException if the interval is zero or negative
     */
    static ProgressListener every(Duration interval, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (Objects.requireNonNull(interval, "interval").isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        return new ProgressListener() {
            @Override
            public void onProgress(BatchProgress progress) {
                listener.onProgress(progress);
            }

            @Override
            public Duration interval() {
                return interval;
            }
        };
    }
}
