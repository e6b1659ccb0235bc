package io.forkpool.runtime.internal.worker;

import io.forkpool.runtime.internal.ledger.Batch;
import io.forkpool.runtime.internal.ledger.EncodedInputs;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import io.forkpool.runtime.internal.ledger.TaskType;
import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.runtime.tasks.Echo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkSizerTest {

    private static final int MAX_FRAME = 1 << 20;
    private final TaskType type = TaskType.of(Echo.class, Messages.newDataMapper(MAX_FRAME));

    private TaskRecord span(int inputs, int inputBytes) {
        return span(inputs, inputBytes, Integer.MAX_VALUE);
    }

    /** A span of a whole batch, whose inputs are held in arrays of at most {@code arrayBytes} each. */
    private TaskRecord span(int inputs, int inputBytes, int arrayBytes) {
        byte[][] encoded = new byte[inputs][];
        Arrays.fill(encoded, new byte[inputBytes]);
        return new TaskRecord(1, new Batch(type, EncodedInputs.of(encoded, arrayBytes), 3, null,
                io.forkpool.ProgressListener.NONE, null), 0, inputs);
    }

    @Test
    void sendsOneInputUntilTheTaskHasBeenMeasured() {
        assertThat(ChunkSizer.chunkSize(span(100_000, 8), 2, MAX_FRAME)).isEqualTo(1);
    }

    @Test
    void growsAChunkThatTookLessThanTheBudgetAndShrinksOneThatTookMore() {
        type.measured(100_000, 100, 800); // a tenth of the budget: ten times as many
        assertThat(ChunkSizer.chunkSize(span(100_000, 8), 2, MAX_FRAME)).isEqualTo(1_000);
        type.measured(10_000, 100, 800); // a hundredth of the budget: grown by at most 16
        assertThat(ChunkSizer.chunkSize(span(100_000, 8), 2, MAX_FRAME)).isEqualTo(1_600);
        type.measured(1_250_000, 200, 1_600); // a quarter over: scaled by 0.8
        assertThat(ChunkSizer.chunkSize(span(100_000, 8), 2, MAX_FRAME)).isEqualTo(160);
        type.measured(50_000_000, 160, 1_280); // fifty times over: at most halved
        assertThat(ChunkSizer.chunkSize(span(100_000, 8), 2, MAX_FRAME)).isEqualTo(80);
    }

    @Test
    void aChunkOfOneThatCostsAWholeRoundTripReachesTheBudgetInAFewReplies() {
        List<Integer> chunks = new ArrayList<>();
        for (int chunk = 1, reply = 0; reply < 8; reply++) {
            type.measured(100_000 + chunk * 500L, chunk, chunk * 8); // 100 µs per frame, 0.5 µs per input
            chunk = ChunkSizer.chunkSize(span(1_000_000, 8), 2, MAX_FRAME);
            chunks.add(chunk);
        }
        // Each reply scales by how far it fell short; the frame's share shrinks as the chunk grows,
        // so the steps shrink too, and it settles where a chunk takes the budget:
        // (1 ms - 0.1 ms) / 0.5 µs = 1,800 inputs. At most 2x per reply took 12 replies to get near.
        assertThat(chunks).containsExactly(10, 95, 644, 1_526, 1_768, 1_797, 1_800, 1_800);
    }

    @Test
    void theFirstChunkOfATaskNeverMeasuredHoldsOneInputWhateverTheBatch() {
        assertThat(type.chunkInputs()).isEqualTo(-1);
        assertThat(ChunkSizer.chunkSize(span(65_536, 1), 1, MAX_FRAME)).isEqualTo(1);
        type.measured(-1, 1, 8); // answered while still waiting: nothing learnt
        assertThat(ChunkSizer.chunkSize(span(65_536, 1), 1, MAX_FRAME)).isEqualTo(1);
    }

    @Test
    void shrinksTowardsTheEndOfABatchSoEveryWorkerStaysBusy() {
        type.measured(1_000, 1_000, 8_000);
        assertThat(ChunkSizer.chunkSize(span(400, 8), 2, MAX_FRAME)).isEqualTo(50); // 400 / (4 x 2)
        assertThat(ChunkSizer.chunkSize(span(400, 8), 10, MAX_FRAME)).isEqualTo(10);
        assertThat(ChunkSizer.chunkSize(span(5, 8), 2, MAX_FRAME)).isEqualTo(1);
    }

    @Test
    void neverExceedsTheProtocolsInputLimit() {
        type.measured(1_000, 60_000, 60_000);
        assertThat(ChunkSizer.chunkSize(span(600_000, 1), 1, MAX_FRAME)).isEqualTo(TaskRequest.MAX_BATCH_INPUTS);
    }

    @Test
    void keepsAChunksInputAndExpectedOutputWithinAQuarterOfAFrame() {
        type.measured(1_000, 1_000, 8_000);
        // 1,000-byte inputs: a quarter of 1 MiB holds 261 of them with their commas and the name.
        int chunk = ChunkSizer.chunkSize(span(10_000, 1_000), 1, MAX_FRAME);
        assertThat(chunk).isEqualTo(261);
        assertThat((long) chunk * 1_001).isLessThanOrEqualTo(MAX_FRAME / 4);
        // An input larger than the quarter still goes, alone: it fits a frame, as submit checked.
        assertThat(ChunkSizer.chunkSize(span(8, 300_000), 1, MAX_FRAME)).isEqualTo(1);
    }

    @Test
    void keepsTheExpectedOutputWithinAQuarterOfAFrame() {
        type.measured(1_000, 1_000, 100_000_000); // 100 kB per output
        assertThat(ChunkSizer.chunkSize(span(100_000, 8), 1, MAX_FRAME)).isEqualTo(2);
    }

    @Test
    void aChunkEndsWhereTheArrayHoldingItsInputsEnds() {
        type.measured(1_000, 1_000, 8_000);
        TaskRecord span = span(4_000, 8, 1_000); // 111 inputs of 8 bytes and their commas per array

        assertThat(span.batch.inputs.runEnd(0)).isEqualTo(111);
        assertThat(ChunkSizer.chunkSize(span, 1, MAX_FRAME)).isEqualTo(111);
    }
}
