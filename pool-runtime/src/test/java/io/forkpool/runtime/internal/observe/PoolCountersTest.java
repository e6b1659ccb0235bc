package io.forkpool.runtime.internal.observe;

import io.forkpool.runtime.internal.ledger.Batch;
import io.forkpool.runtime.internal.ledger.EncodedInputs;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import java.util.List;
import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.CrashReport;
import io.forkpool.PoolStats;
import io.forkpool.ProgressListener;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskFailureReport;
import io.forkpool.TaskTimeoutException;
import io.forkpool.WorkerCrashedException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class PoolCountersTest {

    private final PoolCounters counters = new PoolCounters(false);
    private final Batch batch = new Batch(null, EncodedInputs.of(new byte[100][0]), 1, null, ProgressListener.NONE, null);

    private void complete(TaskRecord task, Throwable error) {
        counters.completed(task.size(), task.failedOffset(error), error);
    }

    private PoolStats stats() {
        return counters.snapshot("p", List.of(), 0, 0, 0);
    }

    private static TaskFailedException failedAt(int index) {
        return new TaskFailedException(new TaskFailureReport(1, "T", index, 0, 1, "java.lang.IllegalStateException",
                "no", ""));
    }

    @Test
    void aFailureInsideAChunkCountsTheInputsBeforeItSucceededItFailedAndTheRestCancelled() {
        complete(new TaskRecord(1, batch, 10, 20), failedAt(13)); // inputs 10..19, 13 fails

        PoolStats stats = stats();
        assertThat(stats.succeeded()).isEqualTo(3);
        assertThat(stats.failed()).isEqualTo(1);
        assertThat(stats.cancelled()).isEqualTo(6);
        assertThat(stats.completed()).isEqualTo(10);
    }

    @Test
    void everyOtherOutcomeCountsTheWholeTask() {
        complete(new TaskRecord(1, batch, 0, 5), null);
        complete(new TaskRecord(2, batch, 5, 7), new CancellationException());
        complete(new TaskRecord(3, null, new byte[0], 1, null),
                new TaskTimeoutException(3, "T", Duration.ofSeconds(1), 0, 1));
        complete(new TaskRecord(4, batch, 7, 10), new WorkerCrashedException(new CrashReport(4, "T", 1, 0,
                1, io.forkpool.ExitCause.SIGNAL, 137, "killed", 10, 0, "")));
        complete(new TaskRecord(5, batch, 10, 12), failedAt(50)); // names an input it does not hold

        PoolStats stats = stats();
        assertThat(stats.succeeded()).isEqualTo(5);
        assertThat(stats.cancelled()).isEqualTo(2);
        assertThat(stats.timedOut()).isEqualTo(1);
        assertThat(stats.failed()).isEqualTo(3 + 2);
    }
}
