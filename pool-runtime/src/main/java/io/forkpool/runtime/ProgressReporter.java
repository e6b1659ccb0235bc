package io.forkpool.runtime;

import io.forkpool.BatchProgress;
import io.forkpool.ProgressListener;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a batch's {@link ProgressListener} at most once per its interval, one call at a time, then
 * exactly once with the final figures. Called by whichever pool thread completes inputs: a thread
 * that finds the interval not yet over, or another report under way, skips (it never waits), so
 * progress costs a completion one clock read and a comparison; only the final report waits for a
 * report under way, so that it is always the last. Shared by every forkpool pool (the process pool,
 * the cluster pool), so their progress behaves alike.
 */
public final class ProgressReporter {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");

    /** What a report needs from its batch. */
    public interface Figures {
        /** @return inputs completed so far, failed ones included */
        long done();

        /** @return inputs in the batch */
        long total();

        /** @return inputs failed so far */
        long failed();
    }

    private final ProgressListener listener;
    private final Figures figures;
    private final long startNanos;
    private final long intervalNanos;
    private final ReentrantLock reporting = new ReentrantLock();
    /** When the last report was made, or the start; read without the lock to skip early. */
    private volatile long lastNanos;
    private boolean finished; // guarded by reporting
    private boolean broken;   // guarded by reporting: the listener threw, it is not called again

    /**
     * @param listener the batch's listener
     * @param figures where the figures are read
     * @param startNanos when the batch started, by {@link System#nanoTime()}
     */
    public ProgressReporter(ProgressListener listener, Figures figures, long startNanos) {
        this.listener = listener;
        this.figures = figures;
        this.startNanos = startNanos;
        this.intervalNanos = nanos(listener.interval());
        this.lastNanos = startNanos;
    }

    /** An interval too long for a long of nanoseconds (292 years) means: no periodic reports. */
    private static long nanos(Duration interval) {
        try {
            return interval.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Reports if the interval is over and no report is under way; never blocks. */
    public void maybeReport() {
        long now = System.nanoTime();
        if (now - lastNanos < intervalNanos || !reporting.tryLock()) {
            return;
        }
        try {
            if (!finished && now - lastNanos >= intervalNanos) {
                lastNanos = now;
                report(now, false);
            }
        } finally {
            reporting.unlock();
        }
    }

    /** Makes the final report, once; waits for a report under way. */
    public void finish() {
        reporting.lock();
        try {
            if (!finished) {
                finished = true;
                report(System.nanoTime(), true);
            }
        } finally {
            reporting.unlock();
        }
    }

    private void report(long now, boolean last) {
        if (broken) {
            return;
        }
        long done = figures.done();
        long total = figures.total();
        long failed = Math.min(figures.failed(), done);
        try {
            listener.onProgress(new BatchProgress(Math.min(done, total), total, failed, Duration.ofNanos(now - startNanos),
                    last));
        } catch (RuntimeException e) { // a listener's bug must not cost the batch its results
            broken = true;
            LOG.warn("progress listener {} threw; it is not called again for this batch", listener, e);
        }
    }
}
