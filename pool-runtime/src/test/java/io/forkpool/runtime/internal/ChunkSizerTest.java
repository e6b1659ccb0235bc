package io.forkpool.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.runtime.tasks.Echo;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChunkSizerTest {

    private static final int MAX_FRAME = 1 << 20;
    private final TaskType type = TaskType.of(Echo.class, Messages.newDataMapper(MAX_FRAME));

    private TaskRecord span(int inputs, int inputBytes) {
        byte[][] encoded = new byte[inputs][];
        Arrays.fill(encoded, new byte[inputBytes]);
        return new TaskRecord(1, new Batch(type, encoded, 3, null), 0, inputs);
    }

    @Test
    void sendsOneInputUntilTheTaskHasBeenMeasured() {
        assertThat(ChunkSizer.chunkSize(span(100_000, 8), 2, MAX_FRAME)).isEqualTo(1);
    }

    @Test
    void aimsAtTheBudgetOfWork() {
        type.measured(1_000 * 10, 10, 10 * 8); // 1 µs per input
        assertThat(ChunkSizer.chunkSize(span(100_000, 8), 2, MAX_FRAME)).isEqualTo(1_000);
    }

    @Test
    void shrinksTowardsTheEndOfABatchSoEveryWorkerStaysBusy() {
        type.measured(1_000, 1, 8);
        assertThat(ChunkSizer.chunkSize(span(400, 8), 2, MAX_FRAME)).isEqualTo(50); // 400 / (4 x 2)
        assertThat(ChunkSizer.chunkSize(span(400, 8), 10, MAX_FRAME)).isEqualTo(10);
        assertThat(ChunkSizer.chunkSize(span(5, 8), 2, MAX_FRAME)).isEqualTo(1);
    }

    @Test
    void neverExceedsTheProtocolsInputLimit() {
        type.measured(1, 1, 1);
        assertThat(ChunkSizer.chunkSize(span(600_000, 1), 1, MAX_FRAME)).isEqualTo(TaskRequest.MAX_BATCH_INPUTS);
    }

    @Test
    void keepsAChunksInputAndExpectedOutputWithinAQuarterOfAFrame() {
        type.measured(1_000, 1, 8);
        // 1,000-byte inputs: a quarter of 1 MiB holds 261 of them with their commas and the name.
        int chunk = ChunkSizer.chunkSize(span(100_000, 1_000), 1, MAX_FRAME);
        assertThat(chunk).isBetween(250, 262);
        assertThat((long) chunk * 1_001).isLessThanOrEqualTo(MAX_FRAME / 4);
        // An input larger than the quarter still goes, alone: it fits a frame, as submit checked.
        assertThat(ChunkSizer.chunkSize(span(100, 300_000), 1, MAX_FRAME)).isEqualTo(1);
    }

    @Test
    void keepsTheExpectedOutputWithinAQuarterOfAFrame() {
        type.measured(1_000, 1, 100_000); // 100 kB per output
        assertThat(ChunkSizer.chunkSize(span(100_000, 8), 1, MAX_FRAME)).isEqualTo(2);
    }
}
