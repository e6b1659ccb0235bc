package io.forkpool.demo;

import java.util.OptionalLong;

/**
 * What one progress line shows, gathered by {@link LiveProgress} and drawn by
 * {@link ProgressLine}. Plain figures, so the drawing is tested without a pool, a clock or a
 * terminal.
 *
 * @param started whether the tasks were handed over; false while the pool starts its workers
 * @param finished whether every task has completed: the run's last line
 * @param done tasks completed so far
 * @param total tasks in the run
 * @param elapsedNanos time since the run began, start-up included: what the user has waited
 * @param batchNanos time since the tasks were handed over, which the rate and ETA are based on
 * @param mode where the tasks run: what the workers are, and what the run waits for before its tasks
 * @param members cluster members present; 0 unless in cluster mode
 * @param workersAlive worker processes running (the thread count in-process; in a cluster, the
 *     workers of the members present)
 * @param workers worker processes (threads) asked for; in a cluster, as {@code workersAlive}, since
 *     the nodes chose their own
 * @param restarts workers started to replace ones that died; 0 in a cluster, whose members count their own
 */
record ProgressFigures(boolean started, boolean finished, long done, long total, long elapsedNanos, long batchNanos,
        RunMode mode, int members, int workersAlive, int workers, long restarts) {

    /** @return the whole percent done, 100 only when all is done (and for an empty run) */
    int percent() {
        return total == 0 ? 100 : (int) (done * 100 / total);
    }

    /** @return tasks completed per second since the batch began; 0 before any time has passed */
    double tasksPerSecond() {
        return batchNanos <= 0 ? 0 : done * 1e9 / batchNanos;
    }

    /**
     * The time left at the average rate so far. The average over the whole batch rather than a
     * recent window: the demo's tasks are of equal size, so it is steady, and it does not jump
     * when a worker restarts.
     *
     * @return the nanoseconds left, or empty before the first task completes
     */
    OptionalLong etaNanos() {
        if (done >= total) {
            return OptionalLong.of(0);
        }
        if (done == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((long) ((double) batchNanos * (total - done) / done));
    }
}
