package io.forkpool.runtime.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskQueueTest {

    private final Batch batch = new Batch(null, EncodedInputs.of(new byte[1_000][0]), 1, null, ProgressListener.NONE, null);

    @Test
    void countsABatchSpanByItsInputsThroughTakesCutsAndPutBacks() throws Exception {
        TaskQueue queue = new TaskQueue();
        TaskRecord span = new TaskRecord(1, batch, 0, 1_000);
        TaskRecord single = new TaskRecord(2, null, new byte[0], 1, null);
        queue.addAll(List.of(span, single));
        assertThat(queue.inputs()).isEqualTo(1_001);

        List<TaskRecord> taken = new ArrayList<>();
        assertThat(queue.take(taken, 1, () -> false, null)).isEqualTo(1);
        assertThat(taken).containsExactly(span);
        assertThat(queue.inputs()).isEqualTo(1);
        // A sender cuts 10 inputs off and puts the rest back at the head, as TaskLedger.cut does.
        TaskRecord rest = new TaskRecord(3, batch, 10, 1_000);
        span.to = 10;
        queue.addFirst(rest);
        assertThat(queue.inputs()).isEqualTo(991);

        List<TaskRecord> drained = new ArrayList<>();
        queue.take(drained, 1, () -> false, null);
        assertThat(drained).containsExactly(rest);
        assertThat(queue.inputs()).isEqualTo(1);
        assertThat(queue.remove(single)).isTrue();
        assertThat(queue.remove(single)).isFalse();
        assertThat(queue.inputs()).isZero();
        assertThat(queue.pollFirst()).isNull();
    }
}
