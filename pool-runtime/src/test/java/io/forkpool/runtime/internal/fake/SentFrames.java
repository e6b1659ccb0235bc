package io.forkpool.runtime.internal.fake;

import io.forkpool.internal.protocol.FrameDecoder;
import io.forkpool.internal.protocol.FrameType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The correlation ids of the TASK and BATCH frames the supervisor wrote to one fake worker, in
 * order, read from the bytes as they are written, whatever the writes' boundaries. Owns its parse
 * state; every method is synchronized.
 */
final class SentFrames {

    private final ByteBuffer header = ByteBuffer.allocate(FrameDecoder.HEADER_LENGTH);
    private long payloadLeft;
    private final List<Long> taskIds = new ArrayList<>();

    /** Reads the bytes of one write, from {@code written}'s position to its limit; leaves it as it was. */
    synchronized void feed(ByteBuffer written) {
        ByteBuffer in = written.duplicate();
        while (in.hasRemaining()) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, in.remaining());
                in.position(in.position() + skip);
                payloadLeft -= skip;
                continue;
            }
            header.put(in.get());
            if (!header.hasRemaining()) {
                header.flip();
                payloadLeft = header.getInt() & 0xFFFF_FFFFL;
                int type = header.get() & 0xFF;
                header.get(); // flags
                long id = header.getLong();
                header.clear();
                if (type == FrameType.TASK || type == FrameType.BATCH) {
                    taskIds.add(id);
                    notifyAll();
                }
            }
        }
    }

    /** @return the ids of the TASK and BATCH frames written so far, in order */
    synchronized List<Long> taskIds() {
        return List.copyOf(taskIds);
    }

    /** Waits until at least {@code count} TASK or BATCH frames were written; fails after 10 s. */
    synchronized List<Long> awaitTaskIds(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (taskIds.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + taskIds + " sent, not " + count + " tasks");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(taskIds);
    }
}
