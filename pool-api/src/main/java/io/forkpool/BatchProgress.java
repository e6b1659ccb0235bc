package io.forkpool;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a batch call has got, handed to a {@link ProgressListener}. Immutable.
 *
 * @param done inputs completed so far, successfully or not
 * @param total inputs in the batch
 * @param failed inputs among {@code done} that failed (a batch fails fast, so this is 0 until its
 *     end, and its last report then says how many failed before the rest was cancelled)
 * @param elapsed time since the batch call was made
 * @param finished true for the batch's last report, made once, just before its future completes
 *     (or, if it was cancelled, just after); {@code done} may then be below {@code total}
 */
public record BatchProgress(long done, long total, long failed, Duration elapsed, boolean finished) {

    /**
     * Checks the counts; the pool creates these, listeners only read them.
     *
     * @param done at least 0, at most {@code total}
     * @param total at least 0
     * @param failed at least 0, at most {@code done}
     * @param elapsed not null
     * @param finished whether this is the batch's last report
     * @throws IllegalArgumentException if the counts are inconsistent
     */
    public BatchProgress {
        if (total < 0 || done < 0 || done > total || failed < 0 || failed > done) {
            throw new IllegalArgumentException("inconsistent progress: done " + done + ", total " + total
                    + ", failed " + failed);
        }
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** @return the fraction of inputs done, from 0 to 1 (1 for an empty batch) */
    public double fraction() {
        return total == 0 ? 1.0 : (double) done / total;
    }
}
