package io.forkpool.runtime.internal.observe;

import io.forkpool.runtime.internal.ledger.Batch;
import io.forkpool.runtime.internal.ledger.EncodedInputs;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import io.forkpool.runtime.internal.ledger.TaskType;
import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.LatencyStats;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyHistogramsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A single task submitted at 0, sent after {@code wait} ms, run for {@code run} ms. */
    private static TaskRecord answered(long waitMs, long runMs) {
        TaskRecord task = new TaskRecord(1, null, new byte[0], 1, null);
        task.sentNanos = task.queuedNanos + waitMs * MS;
        task.startedNanos = task.sentNanos;
        task.answeredNanos = task.sentNanos + runMs * MS;
        return task;
    }

    private static void record(LatencyRecorder recorder, TaskRecord task) {
        recorder.record(task.size(), task.queuedNanos, task.sentNanos, task.serviceNanos(), task.answeredNanos);
    }

    @Test
    void percentilesComeFromEveryProcessAndOutliveIt() {
        LatencyHistograms totals = new LatencyHistograms();
        LatencyRecorder first = new LatencyRecorder();
        LatencyRecorder second = new LatencyRecorder();
        totals.follow(first);
        totals.follow(second);
        for (int i = 1; i <= 99; i++) {
            record(first, answered(0, i)); // executions 1..99 ms
        }
        record(second, answered(5, 1_000));
        first.close();

        LatencyStats[] stats = totals.snapshot();
        LatencyStats execution = stats[1];
        assertThat(execution.count()).isEqualTo(100);
        assertThat(execution.p50Nanos()).isBetween(49 * MS, 51 * MS); // 1% buckets
        assertThat(execution.maxNanos()).isBetween(990 * MS, 1_010 * MS);
        assertThat(stats[0].maxNanos()).isBetween(49 * MS / 10, 51 * MS / 10);

        // The closed recorder was drained a last time and dropped; its values stay in the totals.
        record(second, answered(0, 2));
        record(first, answered(0, 2)); // after close: never drained again (a closed io thread never writes)
        assertThat(totals.snapshot()[1].count()).isEqualTo(101);
    }

    @Test
    void aChunkCountsEachInputWithAnEvenShareOfItsExecution() {
        TaskType type = null;
        Batch batch = new Batch(type, EncodedInputs.of(new byte[10][0]), 1, null, io.forkpool.ProgressListener.NONE, null);
        TaskRecord chunk = new TaskRecord(2, batch, 0, 10);
        chunk.sentNanos = chunk.queuedNanos + MS;
        chunk.startedNanos = chunk.sentNanos;
        chunk.answeredNanos = chunk.sentNanos + 10 * MS;
        LatencyHistograms totals = new LatencyHistograms();
        LatencyRecorder recorder = new LatencyRecorder();
        totals.follow(recorder);
        record(recorder, chunk);

        LatencyStats[] stats = totals.snapshot();
        assertThat(stats[0].count()).isEqualTo(10);
        assertThat(stats[1].count()).isEqualTo(10);
        assertThat(stats[1].maxNanos()).isBetween(99 * MS / 100, 101 * MS / 100);
        assertThat(stats[2].p50Nanos()).isBetween(1_089 * MS / 100, 1_111 * MS / 100);
    }

    @Test
    void nothingRecordedIsTheEmptyDistribution() {
        LatencyHistograms totals = new LatencyHistograms();
        totals.follow(new LatencyRecorder());
        assertThat(totals.snapshot()).containsOnly(LatencyStats.EMPTY);
    }
}
