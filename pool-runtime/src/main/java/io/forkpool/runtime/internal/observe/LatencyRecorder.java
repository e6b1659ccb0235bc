package io.forkpool.runtime.internal.observe;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One worker process's latency recordings: written by its io thread alone as replies arrive,
 * read by {@link LatencyHistograms} whenever the pool's stats are taken. A
 * {@link SingleWriterRecorder} makes recording wait-free and cheap (no lock, no shared cache line
 * between workers), and lets the reader take what was recorded without stopping the writer.
 */
public final class LatencyRecorder {

    /** Two significant digits: 1% accuracy, and an eighth of the memory of three. */
    static final int DIGITS = 2;

    private final SingleWriterRecorder queueWait = new SingleWriterRecorder(DIGITS);
    private final SingleWriterRecorder execution = new SingleWriterRecorder(DIGITS);
    private final SingleWriterRecorder roundTrip = new SingleWriterRecorder(DIGITS);
    // Handed back to the recorders on each drain; touched by the reader only, under its lock.
    private Histogram spareQueueWait;
    private Histogram spareExecution;
    private Histogram spareRoundTrip;
    /** Set when the writer has stopped for good: after one more drain, nothing is left to take. */
    private volatile boolean closed;

    /**
     * Records an answered task, each input of a chunk counting once, with an even share of the
     * chunk's execution time. The io thread.
     *
     * @param inputs the task's inputs
     * @param queuedNanos when it was submitted
     * @param sentNanos when it was handed to its worker
     * @param serviceNanos how long it ran, or -1 if unknown
     * @param answeredNanos when its answer was read
     */
    public void record(int inputs, long queuedNanos, long sentNanos, long serviceNanos, long answeredNanos) {
        queueWait.recordValueWithCount(Math.max(0, sentNanos - queuedNanos), inputs);
        if (serviceNanos >= 0) {
            execution.recordValueWithCount(serviceNanos / inputs, inputs);
        }
        roundTrip.recordValueWithCount(Math.max(0, answeredNanos - queuedNanos), inputs);
    }

    /** No more records will come (the io thread has ended). */
    public void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** Adds what was recorded since the last drain to the given totals. The reader, under its lock. */
    void drainInto(Histogram queueWaitTotal, Histogram executionTotal, Histogram roundTripTotal) {
        spareQueueWait = drain(queueWait, spareQueueWait, queueWaitTotal);
        spareExecution = drain(execution, spareExecution, executionTotal);
        spareRoundTrip = drain(roundTrip, spareRoundTrip, roundTripTotal);
    }

    private static Histogram drain(SingleWriterRecorder recorder, Histogram spare, Histogram total) {
        Histogram interval = recorder.getIntervalHistogram(spare);
        total.add(interval);
        return interval;
    }
}
