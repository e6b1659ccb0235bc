package io.forkpool.runtime.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.runtime.internal.ledger.IdleWorker;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import io.forkpool.runtime.internal.ledger.TaskSource;
import io.forkpool.runtime.internal.ledger.TaskType;
import io.forkpool.runtime.tasks.Echo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Sender#offer}: a submitting thread writes a task itself only to a worker that holds none. */
class SenderOfferTest {

    private static final int MAX_FRAME = 1 << 20;
    private static final TaskType ECHO = TaskType.of(Echo.class, Messages.newDataMapper(MAX_FRAME));

    /** Records what is written, or fails every write as NIO does for an interrupted writer. */
    private static final class Channel implements WritableByteChannel {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean failAsInterrupted;

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (failAsInterrupted) {
                throw new ClosedByInterruptException();
            }
            int n = src.remaining();
            byte[] bytes = new byte[n];
            src.get(bytes);
            written.write(bytes, 0, n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static final class NoSource implements TaskSource {
        final List<TaskRecord> putBack = new ArrayList<>();

        @Override
        public int take(List<TaskRecord> into, int max, BooleanSupplier wake, IdleWorker worker) {
            return 0;
        }

        @Override
        public void wakeAll() {
        }

        @Override
        public void putBack(TaskRecord task) {
            putBack.add(task);
        }

        @Override
        public void cut(TaskRecord span, int inputs) {
            throw new AssertionError("no spans here");
        }

        @Override
        public long newTaskId() {
            throw new AssertionError("no task is sent twice here");
        }
    }

    private final Channel channel = new Channel();
    private final NoSource source = new NoSource();
    private final InFlightTasks inFlight = new InFlightTasks(0, task -> { }, System::nanoTime);
    private final List<String> failed = new ArrayList<>();
    private final List<String> interrupted = new ArrayList<>();
    private final Sender sender = new Sender(new FrameWriter(channel, MAX_FRAME), source, new Prefetch(0), inFlight,
            task -> { }, 1, MAX_FRAME, true, failed::add, interrupted::add);

    private static TaskRecord task(long id) {
        return new TaskRecord(id, ECHO, "\"x\"".getBytes(), 3, null);
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void writesTheTaskOnTheCallingThreadWhenTheWorkerHoldsNone() {
        TaskRecord task = task(1);

        assertThat(sender.offer(task)).isTrue();

        assertThat(inFlight.holds(task)).isTrue();
        assertThat(channel.written.size()).isPositive(); // flushed: the frame is on its way
        assertThat(failed).isEmpty();
    }

    @Test
    void refusesWhenTheWorkerHoldsATaskSoItsSenderKeepsTheOrderAndTheWindow() {
        assertThat(sender.offer(task(1))).isTrue();
        int written = channel.written.size();

        TaskRecord second = task(2);
        assertThat(sender.offer(second)).isFalse();

        assertThat(inFlight.holds(second)).isFalse();
        assertThat(channel.written.size()).isEqualTo(written);
    }

    @Test
    void refusesOnAnInterruptedThreadWhoseWriteWouldCloseTheChannel() {
        Thread.currentThread().interrupt();
        TaskRecord task = task(1);

        assertThat(sender.offer(task)).isFalse();

        assertThat(inFlight.holds(task)).isFalse();
        assertThat(channel.written.size()).isZero();
        assertThat(Thread.currentThread().isInterrupted()).isTrue(); // the caller's flag is left alone
    }

    @Test
    void anInterruptDuringTheWriteEndsTheWorkerAsThePoolsDecisionNotACrash() {
        channel.failAsInterrupted = true;
        TaskRecord task = task(1);

        assertThat(sender.offer(task)).isTrue(); // in flight: the worker's end settles it

        assertThat(inFlight.holds(task)).isTrue();
        assertThat(interrupted).singleElement().asString().contains("interrupted");
        assertThat(failed).isEmpty();
    }

    @Test
    void refusesAfterItStoppedPulling() {
        sender.stopPulling();
        assertThat(sender.offer(task(1))).isFalse();
        assertThat(channel.written.size()).isZero();
    }
}
