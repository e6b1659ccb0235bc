package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameDecoder;
import io.forkpool.internal.protocol.FrameReader;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.internal.protocol.WorkerExitCodes;
import io.forkpool.spi.TaskAllowList;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker loop's two serving threads (leader/follower, {@link Roles}) through in-memory pipes:
 * a task runs inline on the thread that read it, the other thread takes the reader role over only
 * from under a long task, and neither ever leaves a reply unwritten when the next task starts.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerLoopRolesTest {

    private static final int MAX = 1 << 20;
    private static final int WORKER = 17;
    /** A takeover period no test outlasts: with it the idle thread never wakes on its own. */
    private static final long NEVER = TimeUnit.HOURS.toNanos(1);

    private final JsonMapper mapper = Messages.newDataMapper(MAX);
    private Pipe toWorker;
    private Pipe fromWorker;
    private FrameWriter supervisorWriter;
    private FrameReader supervisorReader;
    private WorkerLoop loop;
    private CompletableFuture<Integer> exitCode;

    /** The worker's side of its output pipe, counting the replies that are through it ({@link Witness}). */
    private static final class CountingSink implements WritableByteChannel {
        private final WritableByteChannel sink;
        private final FrameDecoder decoder = new FrameDecoder(MAX);

        CountingSink(WritableByteChannel sink) {
            this.sink = sink;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer written = src.duplicate();
            int n = sink.write(src);
            written.limit(written.position() + n);
            decoder.decode(written, frame -> {
                if (frame.type() == FrameType.RESULT || frame.type() == FrameType.FAILURE) {
                    Witness.REPLIES_WRITTEN.incrementAndGet();
                }
            });
            return n;
        }

        @Override
        public boolean isOpen() {
            return sink.isOpen();
        }

        @Override
        public void close() throws IOException {
            sink.close();
        }
    }

    private void start(long takeoverNanos) throws Exception {
        Witness.reset();
        toWorker = Pipe.open();
        fromWorker = Pipe.open();
        supervisorWriter = new FrameWriter(toWorker.sink(), MAX);
        supervisorReader = new FrameReader(fromWorker.source(), MAX);
        loop = new WorkerLoop(toWorker.source(), new CountingSink(fromWorker.sink()), WORKER, MAX,
                getClass().getClassLoader(), TaskAllowList.of(List.of("io.forkpool.internal.worker.*")), takeoverNanos);
        exitCode = CompletableFuture.supplyAsync(() -> {
            try {
                return loop.run(new Messages.Hello(Messages.PROTOCOL_VERSION, 1234, "tok", "java test"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // As a process's exit closes its socket: a test waiting for a reply fails, it does not hang.
        exitCode.whenComplete((code, failure) -> {
            try {
                fromWorker.sink().close();
            } catch (IOException e) {
                // closed already
            }
        });
        assertThat(supervisorReader.read().type()).isEqualTo(FrameType.HELLO);
    }

    /** Ends the worker (end of stream) and waits until both its serving threads have ended. */
    @AfterEach
    void endTheWorker() throws Exception {
        if (toWorker == null) {
            return;
        }
        toWorker.sink().close();
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isIn(WorkerExitCodes.NORMAL, WorkerExitCodes.PROTOCOL_ERROR);
        fromWorker.source().close();
        for (Thread thread : servingThreads()) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(thread.isAlive()).as(thread.getName() + " ended").isFalse();
        }
    }

    private static List<Thread> servingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("forkpool-worker-" + WORKER + "-serve-"))
                .toList();
    }

    private Frame readReply() throws Exception {
        Frame frame;
        do {
            frame = supervisorReader.read();
            assertThat(frame).as("a reply before the worker ended (exit code %s)", exitCode.getNow(null)).isNotNull();
        } while (frame.type() == FrameType.STATUS);
        return frame;
    }

    /** Appends a TASK; the caller flushes, so several frames can go in one write. */
    private void appendTask(long id, String taskClass, String json) throws Exception {
        supervisorWriter.appendTask(id, TaskRequest.encodeName(taskClass), 1, json.getBytes(StandardCharsets.UTF_8));
    }

    private String resultOf(long id) throws Exception {
        Frame reply = readReply();
        assertThat(reply.correlationId()).isEqualTo(id);
        assertThat(reply.type()).as("reply to %d", id).isEqualTo(FrameType.RESULT);
        return mapper.readValue(reply.payload(), String.class);
    }

    private Messages.TaskFailure failureOf(long id) throws Exception {
        Frame reply = readReply();
        assertThat(reply.correlationId()).isEqualTo(id);
        assertThat(reply.type()).as("reply to %d", id).isEqualTo(FrameType.FAILURE);
        return Messages.decode(reply.payload(), Messages.TaskFailure.class);
    }

    @Test
    void aLongTaskRunningInlineGetsItsPingAnsweredAndItsCancelThroughTheTakeover() throws Exception {
        start(WorkerLoop.TAKEOVER_NANOS);
        Gate.reset();
        appendTask(1, Gate.class.getName(), "\"held\"");
        supervisorWriter.flush();
        assertThat(Gate.STARTED.await(10, TimeUnit.SECONDS)).isTrue();

        // The thread that read the task runs it; only the other one, once it took the reader
        // role, can read the PING and answer it.
        supervisorWriter.append(FrameType.PING, 99, Frame.EMPTY);
        supervisorWriter.flush();
        Frame pong = readReply();
        assertThat(pong.type()).isEqualTo(FrameType.PONG);
        assertThat(pong.correlationId()).isEqualTo(99);
        assertThat(loop.takeovers()).as("the reader role taken from under the task").isPositive();
        assertThat(Gate.RELEASE.getCount()).as("the task is still held").isEqualTo(1);

        supervisorWriter.append(FrameType.CANCEL, 1, Frame.EMPTY);
        supervisorWriter.flush();
        assertThat(failureOf(1).exceptionClass()).as("the thread running it was interrupted")
                .isEqualTo(InterruptedException.class.getName());

        appendTask(2, Witness.class.getName(), "2");
        supervisorWriter.flush();
        assertThat(resultOf(2)).startsWith("forkpool-worker-" + WORKER + "-serve-");
    }

    @Test
    void aBurstOfShortTasksRunsOnTheThreadThatReadItWithoutWakingTheOther() throws Exception {
        start(NEVER);
        for (int id = 1; id <= 300; id++) {
            appendTask(id, Witness.class.getName(), "1");
        }
        supervisorWriter.flush(); // a burst: many frames to one write, as the supervisor sends them
        for (int id = 301; id <= 350; id++) {
            appendTask(id, Witness.class.getName(), "1");
            supervisorWriter.flush(); // and one at a time
        }
        List<String> threads = new ArrayList<>();
        for (int id = 1; id <= 350; id++) {
            threads.add(resultOf(id));
        }
        assertThat(threads).as("one thread read and ran them all").containsOnly(threads.get(0));
        assertThat(threads.get(0)).matches("forkpool-worker-" + WORKER + "-serve-[12]");
        assertThat(loop.takeovers()).isZero();
    }

    @Test
    void pipelinedTasksAreAnsweredInOrderEachReplyWrittenBeforeTheNextStarts() throws Exception {
        // A short period, so the reader role changes hands often among the tasks.
        start(TimeUnit.MICROSECONDS.toNanos(200));
        int sent = 0;
        for (int burst = 1; burst <= 40; burst++) {
            for (int i = 0; i < burst; i++) {
                sent++;
                appendTask(sent, Witness.class.getName(), "1");
            }
            supervisorWriter.flush();
        }
        for (int id = 1; id <= sent; id++) {
            resultOf(id);
        }
        // Each task, as it started, found every earlier task's reply through the channel.
        assertThat(Witness.SEEN).containsExactlyElementsOf(IntStream.range(0, sent).boxed().toList());
    }

    @Test
    void aCancelInTheSameWriteAsItsTaskCancelsItBeforeItStarts() throws Exception {
        start(NEVER); // no takeover: the thread that reads the task is the only one that can see the cancel
        appendTask(1, Witness.class.getName(), "1");
        supervisorWriter.append(FrameType.CANCEL, 1, Frame.EMPTY);
        supervisorWriter.flush();
        assertThat(failureOf(1).message()).isEqualTo("task 1 was cancelled before it started");

        appendTask(2, Witness.class.getName(), "1");
        appendTask(3, Witness.class.getName(), "1");
        supervisorWriter.append(FrameType.CANCEL, 3, Frame.EMPTY);
        supervisorWriter.flush();
        resultOf(2);
        assertThat(failureOf(3).message()).isEqualTo("task 3 was cancelled before it started");
        assertThat(Witness.SEEN).as("only task 2 ran").hasSize(1);
    }

    @Test
    void aTaskThatInterruptsItsOwnThreadLeavesTheChannelOpenForTheReadAfterIt() throws Exception {
        start(NEVER); // the thread that ran the task reads next: an interrupted read would close the channel
        appendTask(1, Witness.class.getName(), "-1");
        supervisorWriter.flush();
        resultOf(1);
        appendTask(2, Witness.class.getName(), "2");
        supervisorWriter.flush();
        resultOf(2);
        assertThat(exitCode).isNotDone();
    }

    @Test
    void aShutdownWhileATaskRunsInlineEndsTheWorkerAndInterruptsTheTask() throws Exception {
        start(WorkerLoop.TAKEOVER_NANOS);
        Gate.reset();
        appendTask(1, Gate.class.getName(), "\"held\"");
        supervisorWriter.flush();
        assertThat(Gate.STARTED.await(10, TimeUnit.SECONDS)).isTrue();
        supervisorWriter.append(FrameType.SHUTDOWN, 0, Frame.EMPTY);
        supervisorWriter.flush();
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerExitCodes.NORMAL);
        // The gate is never released: the serving threads end (checked after each test) only if
        // the end interrupted the one running the task.
        assertThat(Gate.RELEASE.getCount()).isEqualTo(1);
    }
}
