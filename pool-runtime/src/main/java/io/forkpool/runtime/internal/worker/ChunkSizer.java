package io.forkpool.runtime.internal.worker;

import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.runtime.internal.ledger.EncodedInputs;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import io.forkpool.runtime.internal.ledger.TaskType;

/**
 * How many inputs of a batch span go to a worker in one BATCH frame: as many as take about
 * {@link #BUDGET_NANOS}, so the frame, the reply and the JSON parsing are paid once per
 * millisecond of work instead of once per input, while a crash, a cancellation or the last chunk
 * of a batch never costs more than about that. The size is learnt from the replies
 * ({@link TaskType#measured}): each chunk's time scales the next one, grown by up to 16 when it
 * took far less than the budget and shrunk by at most 2, so chunks grow from one input to
 * thousands in three or four round trips and follow inputs that get dearer.
 *
 * <p>Limits, smallest wins: one input while nothing is measured yet (an unknown task may be
 * slow); the learnt size; {@link TaskRequest#MAX_BATCH_INPUTS}; a quarter of
 * {@code maxFrameLength} of input, and of output at the measured bytes per output; the inputs
 * held in the same array of the batch's encoded inputs (all of them, unless the batch is larger
 * than one Java array); and the inputs still waiting divided by four times the number of workers
 * (guided self-scheduling), so chunks shrink towards the end of a batch and every worker stays
 * busy to the end.
 */
final class ChunkSizer {

    /** The work one chunk aims at: far above the ~0.1 ms a round trip costs, far below a user's patience. */
    static final long BUDGET_NANOS = TaskType.CHUNK_BUDGET_NANOS;

    private ChunkSizer() {
    }

    /**
     * @param span a batch span the caller holds
     * @param workers the pool's worker count
     * @param maxFrameLength the pool's frame limit
     * @return how many of its first inputs to send now, from 1 to its size
     */
    static int chunkSize(TaskRecord span, int workers, int maxFrameLength) {
        int size = span.size();
        long limit = span.type.chunkInputs();
        if (size == 1 || limit < 0) {
            return 1;
        }
        limit = Math.min(limit, size / (4L * workers));
        long outputBytes = span.type.bytesPerOutput();
        if (outputBytes > 0) {
            limit = Math.min(limit, maxFrameLength / 4 / outputBytes);
        }
        EncodedInputs inputs = span.batch.inputs;
        limit = Math.min(limit, inputs.runEnd(span.from) - span.from); // a range of one array
        long bytes = span.type.namePrefix().length + 3L;
        if (limit > 1 && bytes + inputs.rangeLength(span.from, span.from + (int) limit) + 1 <= maxFrameLength / 4) {
            return (int) limit; // the whole range fits: what the loop below would find, without the loop
        }
        int count = 0;
        while (count < limit) {
            bytes += inputs.length(span.from + count) + 1;
            if (bytes > maxFrameLength / 4 && count > 0) {
                break;
            }
            count++;
        }
        return Math.max(1, count);
    }
}
