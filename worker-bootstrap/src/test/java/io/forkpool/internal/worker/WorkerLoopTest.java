package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.TaskFailedException;
import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameReader;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.internal.protocol.WorkerExitCodes;
import io.forkpool.spi.TaskAllowList;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/** Drives the worker loop through in-memory pipes: no process. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WorkerLoopTest {

    private static final int MAX = 1 << 20;
    static final java.util.concurrent.atomic.AtomicBoolean NOT_A_TASK_INITIALIZED =
            new java.util.concurrent.atomic.AtomicBoolean();
    static final java.util.concurrent.atomic.AtomicBoolean OVERLOADED_INITIALIZED =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final JsonMapper mapper = Messages.newDataMapper(MAX);
    private Pipe toWorker;
    private Pipe fromWorker;
    private FrameWriter supervisorWriter;
    private FrameReader supervisorReader;
    private CompletableFuture<Integer> exitCode;
    private final RecordingLoader loader = new RecordingLoader(getClass().getClassLoader());

    /** Remembers every class name the worker asks it for. */
    private static final class RecordingLoader extends ClassLoader {
        final Set<String> requested = ConcurrentHashMap.newKeySet();

        RecordingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }
    }

    @BeforeEach
    void startLoop() throws Exception {
        toWorker = Pipe.open();
        fromWorker = Pipe.open();
        supervisorWriter = new FrameWriter(toWorker.sink(), MAX);
        supervisorReader = new FrameReader(fromWorker.source(), MAX);
        WorkerLoop loop = new WorkerLoop(toWorker.source(), fromWorker.sink(), 7, MAX, loader,
                TaskAllowList.of(List.of("io.forkpool.internal.worker.*")));
        exitCode = CompletableFuture.supplyAsync(() -> {
            try {
                return loop.run(new Messages.Hello(Messages.PROTOCOL_VERSION, 1234, "tok", "java test"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Frame hello = supervisorReader.read();
        assertThat(hello.type()).isEqualTo(FrameType.HELLO);
        assertThat(Messages.decode(hello.payload(), Messages.Hello.class).token()).isEqualTo("tok");
    }

    @AfterEach
    void closePipes() throws Exception {
        toWorker.sink().close();
        fromWorker.source().close();
        // The end of the stream ends the worker: both serving threads end, none is left behind.
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().matches("forkpool-worker-[78]-serve-\\d")) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(thread.isAlive()).as(thread.getName() + " ended").isFalse();
            }
        }
    }

    private final java.util.List<Messages.Status> statuses = new java.util.ArrayList<>();

    /** The next reply, with STATUS frames (sent at most every 50 ms) set aside. */
    private Frame readReply() throws Exception {
        Frame frame;
        while ((frame = supervisorReader.read()).type() == FrameType.STATUS) {
            statuses.add(Messages.decode(frame.payload(), Messages.Status.class));
        }
        return frame;
    }

    private void sendTask(long id, String taskClass, String json) throws Exception {
        supervisorWriter.appendTask(id, TaskRequest.encodeName(taskClass), 1, json.getBytes(StandardCharsets.UTF_8));
        supervisorWriter.flush();
    }

    @Test
    void runsTasksInOrderAndAnswersWithTheirIds() throws Exception {
        sendTask(1, Upper.class.getName(), "{\"words\":[\"a\",\"b\"]}");
        sendTask(2, Upper.class.getName(), "{\"words\":[]}");
        Frame first = readReply();
        Frame second = readReply();
        assertThat(first.type()).isEqualTo(FrameType.RESULT);
        assertThat(first.correlationId()).isEqualTo(1);
        assertThat(mapper.readValue(first.payload(), List.class)).isEqualTo(List.of("A", "B"));
        assertThat(second.correlationId()).isEqualTo(2);
        assertThat(new String(second.payload(), StandardCharsets.UTF_8)).isEqualTo("[]");
        assertThat(statuses).singleElement().satisfies(status -> {
            assertThat(status.heapUsed()).isPositive();
            assertThat(status.heapMax()).isGreaterThanOrEqualTo(status.heapUsed());
        });
    }

    @Test
    void everyReplyIsOnTheChannelBeforeTheNextTaskStarts() throws Exception {
        // Both in one write, so the second is queued when the first one's reply is made: a worker
        // that buffers replies while more tasks wait would still hold it when the second starts,
        // and lose it if that task halted the JVM.
        Gate.reset();
        supervisorWriter.appendTask(1, TaskRequest.encodeName(Upper.class.getName()), 1,
                "{\"words\":[\"fast\"]}".getBytes(StandardCharsets.UTF_8));
        supervisorWriter.appendTask(2, TaskRequest.encodeName(Gate.class.getName()), 1,
                "\"held\"".getBytes(StandardCharsets.UTF_8));
        supervisorWriter.flush();
        assertThat(Gate.STARTED.await(10, TimeUnit.SECONDS)).isTrue();

        // Task 2 is running and held: what the worker wrote so far is all in the pipe now, so a
        // read that does not wait must find task 1's RESULT (and the STATUS that may follow it).
        List<Frame> written = new java.util.ArrayList<>();
        fromWorker.source().configureBlocking(false);
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(64 * 1024);
        while (fromWorker.source().read(bytes) > 0) {
            // drain whatever is there
        }
        fromWorker.source().configureBlocking(true);
        new io.forkpool.internal.protocol.FrameDecoder(MAX).decode(bytes.flip(), written::add);
        assertThat(written).filteredOn(frame -> frame.type() != FrameType.STATUS).singleElement().satisfies(first -> {
            assertThat(first.type()).isEqualTo(FrameType.RESULT);
            assertThat(first.correlationId()).isEqualTo(1);
            assertThat(mapper.readValue(first.payload(), List.class)).isEqualTo(List.of("FAST"));
        });

        Gate.RELEASE.countDown();
        Frame second = readReply();
        assertThat(second.type()).isEqualTo(FrameType.RESULT);
        assertThat(second.correlationId()).isEqualTo(2);
    }

    private void sendPing(long probe, byte[] payload) throws Exception {
        supervisorWriter.append(FrameType.PING, probe, payload);
        supervisorWriter.flush();
    }

    @Test
    void theJavaWorkersHelloListsBatchAndPing() {
        assertThat(WorkerLoop.hello("tok").features()).containsExactly(Messages.FEATURE_BATCH, Messages.FEATURE_PING);
        assertThat(WorkerLoop.hello("tok").answersPings()).isTrue();
        assertThat(new Messages.Hello(Messages.PROTOCOL_VERSION, 1, "tok", "x").answersPings()).isFalse();
    }

    @Test
    void aPingIsAnsweredAtOnceWhileATaskIsRunning() throws Exception {
        Gate.reset();
        sendTask(40, Gate.class.getName(), "\"held\"");
        assertThat(Gate.STARTED.await(10, TimeUnit.SECONDS)).isTrue();
        // The task thread is held inside the task: only the reader can answer.
        sendPing(0x0102_0304_0506_0708L, Frame.EMPTY);
        Frame pong = readReply();
        assertThat(pong.type()).isEqualTo(FrameType.PONG);
        assertThat(pong.correlationId()).isEqualTo(0x0102_0304_0506_0708L);
        assertThat(pong.payload()).isEmpty();
        sendPing(-7, Frame.EMPTY); // the probe number is the supervisor's choice, echoed whatever it is
        assertThat(readReply()).satisfies(frame -> {
            assertThat(frame.type()).isEqualTo(FrameType.PONG);
            assertThat(frame.correlationId()).isEqualTo(-7);
        });
        assertThat(Gate.RELEASE.getCount()).as("the task is still held").isEqualTo(1);

        Gate.RELEASE.countDown();
        Frame result = readReply();
        assertThat(result.type()).isEqualTo(FrameType.RESULT);
        assertThat(result.correlationId()).isEqualTo(40);
        assertThat(new String(result.payload(), StandardCharsets.UTF_8)).isEqualTo("\"held\"");
    }

    @Test
    void exitsWithAProtocolErrorOnAPingWithAPayload() throws Exception {
        sendPing(1, new byte[] {0});
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerExitCodes.PROTOCOL_ERROR);
    }

    private void sendBatch(long id, String taskClass, String inputs) throws Exception {
        byte[] prefix = TaskRequest.encodeName(taskClass);
        byte[] json = inputs.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[prefix.length + 1 + json.length];
        System.arraycopy(prefix, 0, payload, 0, prefix.length);
        payload[prefix.length] = 1;
        System.arraycopy(json, 0, payload, prefix.length + 1, json.length);
        supervisorWriter.append(FrameType.BATCH, id, payload);
        supervisorWriter.flush();
    }

    private Messages.TaskFailure readFailure(long id) throws Exception {
        Frame reply = readReply();
        assertThat(reply.correlationId()).isEqualTo(id);
        assertThat(reply.type()).isEqualTo(FrameType.FAILURE);
        return Messages.decode(reply.payload(), Messages.TaskFailure.class);
    }

    @Test
    void aBatchRunsEveryInputInOrderAndAnswersWithOneArray() throws Exception {
        sendBatch(3, Upper.class.getName(), "[{\"words\":[\"a\"]}, {\"words\":[\"b\",\"c\"]}, {\"words\":[]}]");
        Frame reply = readReply();
        assertThat(reply.type()).isEqualTo(FrameType.RESULT);
        assertThat(reply.correlationId()).isEqualTo(3);
        assertThat(new String(reply.payload(), StandardCharsets.UTF_8)).isEqualTo("[[\"A\"],[\"B\",\"C\"],[]]");
    }

    @Test
    void aBatchStopsAtItsFirstFailingInputAndNamesIt() throws Exception {
        Step.RUNS.set(0);
        sendBatch(4, Step.class.getName(), "[1,-1,2]");
        Messages.TaskFailure failure = readFailure(4);
        assertThat(failure.index()).isEqualTo(1);
        assertThat(failure.exceptionClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(failure.message()).isEqualTo("step refuses -1");
        assertThat(failure.stage()).as("the task threw: not a data fault").isNull();
        assertThat(Step.RUNS).hasValue(2); // the third input never ran
    }

    @Test
    void aBatchWithAnInputThatDoesNotDecodeRunsNothing() throws Exception {
        Step.RUNS.set(0);
        sendBatch(5, Step.class.getName(), "[1,\"two\",3]");
        assertThat(readFailure(5)).extracting(Messages.TaskFailure::index, Messages.TaskFailure::stage)
                .containsExactly(1, Messages.STAGE_INPUT);
        sendBatch(6, Step.class.getName(), "[]");
        assertThat(readFailure(6)).extracting(Messages.TaskFailure::index, Messages.TaskFailure::stage)
                .containsExactly(0, Messages.STAGE_INPUT);
        sendBatch(7, Step.class.getName(), "{\"not\":\"an array\"}");
        assertThat(readFailure(7)).extracting(Messages.TaskFailure::index, Messages.TaskFailure::stage)
                .containsExactly(0, Messages.STAGE_INPUT);
        sendBatch(8, Step.class.getName(), "[1] [2]");
        assertThat(readFailure(8)).extracting(Messages.TaskFailure::index, Messages.TaskFailure::stage)
                .containsExactly(0, Messages.STAGE_INPUT);
        sendBatch(9, "io.forkpool.internal.worker.NoSuchTask", "[1]");
        Messages.TaskFailure notLoaded = readFailure(9);
        assertThat(notLoaded.index()).isEqualTo(0);
        assertThat(notLoaded.stage()).as("a task that cannot be loaded is not a data fault").isNull();
        assertThat(Step.RUNS).hasValue(0);
        sendBatch(10, Step.class.getName(), "[21]");
        assertThat(new String(readReply().payload(), StandardCharsets.UTF_8)).isEqualTo("[42]");
    }

    @Test
    void aBatchLargerThanTheLimitRunsNothing() throws Exception {
        Step.RUNS.set(0);
        StringBuilder inputs = new StringBuilder("[1");
        for (int i = 1; i <= TaskRequest.MAX_BATCH_INPUTS; i++) {
            inputs.append(",1");
        }
        sendBatch(11, Step.class.getName(), inputs.append(']').toString());
        Messages.TaskFailure failure = readFailure(11);
        assertThat(failure.index()).isEqualTo(0);
        assertThat(failure.message()).contains("at most 65536 inputs");
        assertThat(Step.RUNS).hasValue(0);
    }

    @Test
    void aBatchOutputThatCannotBeEncodedOrDoesNotFitIsNamedByItsIndex() throws Exception {
        sendBatch(13, Emit.class.getName(), "[1,-1,2]");
        Messages.TaskFailure unencodable = readFailure(13);
        assertThat(unencodable.index()).isEqualTo(1);
        assertThat(unencodable.message()).contains("this output cannot be encoded");
        assertThat(unencodable.stage()).isEqualTo(Messages.STAGE_OUTPUT);

        // [ + 12 + , + 600,002 + , + 600,002 bytes, and the closing bracket: past 1 MiB at input 2.
        sendBatch(14, Emit.class.getName(), "[10,600000,600000]");
        Messages.TaskFailure tooLong = readFailure(14);
        assertThat(tooLong.index()).isEqualTo(2);
        assertThat(tooLong.exceptionClass()).isEqualTo(Messages.OUTPUT_NOT_ENCODABLE);
        assertThat(tooLong.message()).isEqualTo("outputs of 1200020 bytes up to input 2 exceed maxFrameLength " + MAX);
        assertThat(tooLong.stage()).isEqualTo(Messages.STAGE_OUTPUT);

        sendBatch(15, Emit.class.getName(), "[10,600000]"); // and what fits is answered
        Frame fits = readReply();
        assertThat(fits.type()).isEqualTo(FrameType.RESULT);
        assertThat(fits.payload()).hasSize(1 + 12 + 1 + 600_002 + 1);
    }

    @Test
    void cancellingABatchStopsTheRunningInputAndNamesIt() throws Exception {
        Step.RUNS.set(0);
        Step.PARKED = new java.util.concurrent.CountDownLatch(1);
        sendBatch(12, Step.class.getName(), "[5,0,7]");
        assertThat(Step.PARKED.await(10, TimeUnit.SECONDS)).isTrue();
        supervisorWriter.append(FrameType.CANCEL, 12, Frame.EMPTY);
        supervisorWriter.flush();
        Messages.TaskFailure failure = readFailure(12);
        assertThat(failure.exceptionClass()).isEqualTo(java.util.concurrent.CancellationException.class.getName());
        assertThat(failure.index()).isEqualTo(1);
        assertThat(failure.stage()).isNull();
        assertThat(Step.RUNS).hasValue(2); // 7 never ran
    }

    @Test
    void reportsATaskExceptionAndServesOn() throws Exception {
        sendTask(5, Boom.class.getName(), "\"x\"");
        Frame failure = readReply();
        assertThat(failure.type()).isEqualTo(FrameType.FAILURE);
        assertThat(failure.correlationId()).isEqualTo(5);
        Messages.TaskFailure report = Messages.decode(failure.payload(), Messages.TaskFailure.class);
        assertThat(report.exceptionClass()).isEqualTo(UnsupportedOperationException.class.getName());
        assertThat(report.message()).isEqualTo("boom: x");
        assertThat(report.stackTrace()).contains("at " + Boom.class.getName() + ".execute");
        assertThat(report.stage()).isNull();
        assertThat(new String(failure.payload(), StandardCharsets.UTF_8)).doesNotContain("stage");

        sendTask(6, Upper.class.getName(), "{\"words\":[\"ok\"]}");
        assertThat(readReply().type()).isEqualTo(FrameType.RESULT);
    }

    @Test
    void answersATaskWhoseExceptionCannotDescribeItself() throws Exception {
        // Its getMessage() throws, so does printing it: before, that killed the task thread and
        // the worker never answered again.
        sendTask(9, BadMessage.class.getName(), "\"x\"");
        Frame failure = readReply();
        assertThat(failure.type()).isEqualTo(FrameType.FAILURE);
        assertThat(failure.correlationId()).isEqualTo(9);
        Messages.TaskFailure report = Messages.decode(failure.payload(), Messages.TaskFailure.class);
        assertThat(report.exceptionClass()).startsWith(BadMessage.class.getName() + "$");
        assertThat(report.message()).isEqualTo("(its getMessage() threw java.lang.UnsupportedOperationException)");
        assertThat(report.stackTrace()).contains("its stack trace cannot be printed");

        sendTask(10, Upper.class.getName(), "{\"words\":[\"ok\"]}");
        assertThat(readReply().type()).isEqualTo(FrameType.RESULT);
    }

    @Test
    void refusesAClassThatIsNotATaskWithoutInitializingIt() throws Exception {
        sendTask(8, NotATask.class.getName(), "{}");
        Frame failure = readReply();
        Messages.TaskFailure report = Messages.decode(failure.payload(), Messages.TaskFailure.class);
        assertThat(report.exceptionClass()).isEqualTo(TaskFailedException.UNKNOWN_TASK);
        assertThat(report.message()).isEqualTo(NotATask.class.getName() + " does not implement io.forkpool.Task");
        assertThat(report.stackTrace()).startsWith(TaskFailedException.UNKNOWN_TASK + ": " + NotATask.class.getName())
                .contains("Caused by: java.lang.IllegalArgumentException: ");
        assertThat(NOT_A_TASK_INITIALIZED).isFalse();
    }

    @Test
    void reportsAnUnknownClassAsATaskFailure() throws Exception {
        sendTask(9, "io.forkpool.internal.worker.NoSuchTask", "1");
        Messages.TaskFailure report = Messages.decode(readReply().payload(),
                Messages.TaskFailure.class);
        assertThat(report.exceptionClass()).isEqualTo(TaskFailedException.UNKNOWN_TASK);
        assertThat(report.message()).isEqualTo("no task named io.forkpool.internal.worker.NoSuchTask in this worker:"
                + " class io.forkpool.internal.worker.NoSuchTask not found");
        assertThat(report.stackTrace()).contains("Caused by: java.lang.ClassNotFoundException: ");
        assertThat(report.stage()).isNull();
    }

    @Test
    void refusesANameOutsideTheAllowListWithoutAskingAnyClassLoader() throws Exception {
        sendTask(11, "io.forkpool.internal.other.Evil", "{}");
        sendTask(12, "com.sun.rowset.JdbcRowSetImpl", "{\"dataSourceName\":\"ldap://127.0.0.1:1/x\",\"autoCommit\":true}");
        for (String refused : List.of("io.forkpool.internal.other.Evil", "com.sun.rowset.JdbcRowSetImpl")) {
            Messages.TaskFailure report = Messages.decode(readReply().payload(), Messages.TaskFailure.class);
            assertThat(report.exceptionClass()).isEqualTo(TaskFailedException.TASK_NOT_ALLOWED);
            assertThat(report.message()).isEqualTo(refused
                    + " is not in the pool's task allow-list [io.forkpool.internal.worker.*]");
        }
        assertThat(loader.requested).doesNotContain("io.forkpool.internal.other.Evil", "com.sun.rowset.JdbcRowSetImpl");
    }

    @Test
    void runsAPublicStaticMethodNamedClassColonColonMethod() throws Exception {
        sendTask(21, Methods.class.getName() + "::shout", "{\"words\":[\"a\",\"b\"]}");
        Frame reply = readReply();
        assertThat(reply.type()).isEqualTo(FrameType.RESULT);
        assertThat(reply.correlationId()).isEqualTo(21);
        assertThat(new String(reply.payload(), StandardCharsets.UTF_8)).isEqualTo("[\"A\",\"B\"]");

        sendTask(22, Methods.class.getName() + "::refuse", "\"x\"");
        Messages.TaskFailure failure = readFailure(22);
        assertThat(failure.exceptionClass()).isEqualTo(java.io.IOException.class.getName());
        assertThat(failure.message()).isEqualTo("refused x");
        assertThat(failure.stackTrace()).contains("at " + Methods.class.getName() + ".refuse");
    }

    @Test
    void aBatchRunsAMethodOnEveryInput() throws Exception {
        sendBatch(23, Methods.class.getName() + "::size", "[{\"from\":0,\"to\":10}, {\"from\":5,\"to\":6}]");
        Frame reply = readReply();
        assertThat(reply.type()).isEqualTo(FrameType.RESULT);
        assertThat(new String(reply.payload(), StandardCharsets.UTF_8)).isEqualTo("[10,1]");
    }

    @Test
    void refusesAMethodOutsideTheAllowListWithoutAskingAnyClassLoader() throws Exception {
        sendTask(24, "io.forkpool.internal.other.Evil::run", "{}");
        sendTask(25, "java.lang.System::exit", "3");
        for (String refused : List.of("io.forkpool.internal.other.Evil::run", "java.lang.System::exit")) {
            Messages.TaskFailure report = Messages.decode(readReply().payload(), Messages.TaskFailure.class);
            assertThat(report.exceptionClass()).isEqualTo(TaskFailedException.TASK_NOT_ALLOWED);
            assertThat(report.message()).isEqualTo(refused
                    + " is not in the pool's task allow-list [io.forkpool.internal.worker.*]");
        }
        assertThat(loader.requested).doesNotContain("io.forkpool.internal.other.Evil", "java.lang.System");
    }

    @Test
    void refusesAMethodThatCannotBeATaskWithoutInitializingItsClass() throws Exception {
        sendTask(26, Overloaded.class.getName() + "::run", "1");
        assertThat(readFailure(26).message()).isEqualTo(Overloaded.class.getName() + "::run is overloaded (2 methods"
                + " of that name): a worker finds a method by its name alone; give this one a name of its own");
        assertThat(OVERLOADED_INITIALIZED).isFalse();
        sendTask(27, Methods.class.getName() + "::notStatic", "\"x\"");
        assertThat(readFailure(27).message()).isEqualTo(Methods.class.getName()
                + "::notStatic is not public and static: a task method must be 'public static'");
        sendTask(28, Methods.class.getName() + "::missing", "\"x\"");
        assertThat(readFailure(28).message()).isEqualTo(Methods.class.getName() + "::missing: "
                + Methods.class.getName() + " declares no method named missing");
    }

    @Test
    void aTypeIdInUntypedInputIsPlainData() throws Exception {
        // Jackson's WRAPPER_ARRAY and property type-id shapes: with no default typing they are a
        // list and a map, and nothing is looked up by name.
        sendTask(13, Describe.class.getName(),
                "[\"com.sun.rowset.JdbcRowSetImpl\",{\"dataSourceName\":\"ldap://127.0.0.1:1/x\",\"autoCommit\":true}]");
        sendTask(14, Describe.class.getName(), "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\"}");
        assertThat(mapper.readValue(readReply().payload(), String.class))
                .isEqualTo("java.util.ArrayList<java.lang.String, java.util.LinkedHashMap>");
        assertThat(mapper.readValue(readReply().payload(), String.class)).isEqualTo("java.util.LinkedHashMap");
        assertThat(loader.requested).doesNotContain("com.sun.rowset.JdbcRowSetImpl");
    }

    @Test
    void aTypeIdPropertyInTypedInputIsRejected() throws Exception {
        sendTask(15, Upper.class.getName(), "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\",\"words\":[]}");
        Messages.TaskFailure report = Messages.decode(readReply().payload(), Messages.TaskFailure.class);
        assertThat(report.exceptionClass()).isEqualTo("tools.jackson.databind.exc.UnrecognizedPropertyException");
        assertThat(report.message()).contains("\"@class\"");
        assertThat(report.stage()).isEqualTo(Messages.STAGE_INPUT);
    }

    @Test
    @Timeout(10)
    void aHundredThousandDeepInputFailsAtTheNestingLimitWithoutOverflowingTheStack() throws Exception {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        sendTask(16, Describe.class.getName(), deep);
        Messages.TaskFailure report = Messages.decode(readReply().payload(), Messages.TaskFailure.class);
        assertThat(report.exceptionClass()).isEqualTo("tools.jackson.core.exc.StreamConstraintsException");
        assertThat(report.message()).contains("Document nesting depth (501) exceeds the maximum allowed (500");
        assertThat(report.stage()).isEqualTo(Messages.STAGE_INPUT);
        sendTask(17, Describe.class.getName(), "[1]"); // and the worker serves on
        assertThat(mapper.readValue(readReply().payload(), String.class)).startsWith("java.util.ArrayList");
    }

    @Test
    void reportsAnInputOfTheWrongShapeAsATaskFailure() throws Exception {
        sendTask(10, Upper.class.getName(), "{\"words\":{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\"}}");
        Frame reply = readReply();
        assertThat(reply.type()).isEqualTo(FrameType.FAILURE);
        Messages.TaskFailure report = Messages.decode(reply.payload(), Messages.TaskFailure.class);
        assertThat(report.exceptionClass()).startsWith("tools.jackson");
        assertThat(report.stage()).isEqualTo(Messages.STAGE_INPUT);
        assertThat(new String(reply.payload(), StandardCharsets.UTF_8)).contains("\"stage\":\"input\"");
    }

    @Test
    void anOutputThatCannotBeEncodedOrDoesNotFitIsReportedAsTheOutputStage() throws Exception {
        sendTask(18, Emit.class.getName(), "-1");
        Messages.TaskFailure unencodable = readFailure(18);
        assertThat(unencodable.message()).contains("this output cannot be encoded");
        assertThat(unencodable.stage()).isEqualTo(Messages.STAGE_OUTPUT);
        assertThat(unencodable.index()).isNull();

        sendTask(19, Emit.class.getName(), String.valueOf(MAX));
        Messages.TaskFailure tooLong = readFailure(19);
        assertThat(tooLong.exceptionClass()).isEqualTo(Messages.OUTPUT_NOT_ENCODABLE);
        assertThat(tooLong.message()).isEqualTo("output of " + (MAX + 2) + " bytes exceeds maxFrameLength " + MAX);
        assertThat(tooLong.stage()).isEqualTo(Messages.STAGE_OUTPUT);
    }

    @Test
    void anInputDecodesOnlyFromTheJsonItIsWrittenAs() throws Exception {
        sendTask(40, Divide.class.getName(), "{\"a\":\"25\",\"b\":5}");
        Messages.TaskFailure fromString = readFailure(40);
        assertThat(fromString.exceptionClass()).isEqualTo("tools.jackson.databind.exc.MismatchedInputException");
        assertThat(fromString.message()).startsWith("Cannot coerce String value (\"25\") to `long` value");
        assertThat(fromString.stage()).isEqualTo(Messages.STAGE_INPUT);

        sendTask(41, Divide.class.getName(), "{\"a\":1.5,\"b\":5}");
        Messages.TaskFailure fromFraction = readFailure(41);
        assertThat(fromFraction.exceptionClass()).isEqualTo("tools.jackson.databind.exc.InvalidFormatException");
        assertThat(fromFraction.message()).startsWith("Cannot coerce Floating-point value (1.5) to `long` value");
        assertThat(fromFraction.stage()).isEqualTo(Messages.STAGE_INPUT);

        sendTask(42, Divide.class.getName(), "{\"a\":1,\"b\":4}"); // and what is written as its type runs
        Frame quarter = readReply();
        assertThat(quarter.type()).isEqualTo(FrameType.RESULT);
        assertThat(new String(quarter.payload(), StandardCharsets.UTF_8)).isEqualTo("0.25");
    }

    @Test
    void nanAndTheInfinitiesAreNotSentButFailTheTaskAtTheOutputStage() throws Exception {
        String[][] cases = {{"0", "NaN"}, {"1", "Infinity"}, {"-1", "-Infinity"}};
        for (int i = 0; i < cases.length; i++) {
            sendTask(50 + i, Divide.class.getName(), "{\"a\":" + cases[i][0] + ",\"b\":0}");
            Messages.TaskFailure failure = readFailure(50 + i);
            assertThat(failure.exceptionClass()).isEqualTo("tools.jackson.core.exc.StreamWriteException");
            assertThat(failure.message()).startsWith("not a finite number: " + cases[i][1]
                    + " (JSON has no NaN or Infinity)");
            assertThat(failure.stage()).isEqualTo(Messages.STAGE_OUTPUT);
            assertThat(failure.index()).isNull();
        }
        sendBatch(53, Divide.class.getName(), "[{\"a\":1,\"b\":2},{\"a\":0,\"b\":0},{\"a\":3,\"b\":4}]");
        Messages.TaskFailure inBatch = readFailure(53);
        assertThat(inBatch.index()).isEqualTo(1);
        assertThat(inBatch.message()).startsWith("not a finite number: NaN (JSON has no NaN or Infinity)");
        assertThat(inBatch.stage()).isEqualTo(Messages.STAGE_OUTPUT);
    }

    @Test
    void aCancelForATaskNeverReceivedIsForgotten() throws Exception {
        supervisorWriter.append(FrameType.CANCEL, 30, Frame.EMPTY);
        supervisorWriter.flush();
        sendTask(30, Upper.class.getName(), "{\"words\":[\"ran\"]}"); // had the cancel been kept, this would not run
        Frame reply = readReply();
        assertThat(reply.type()).isEqualTo(FrameType.RESULT);
        assertThat(mapper.readValue(reply.payload(), List.class)).isEqualTo(List.of("RAN"));
    }

    @Test
    void cancelInterruptsTheRunningTaskAndSkipsAQueuedOne() throws Exception {
        Sleep.reset();
        sendTask(20, Sleep.class.getName(), "60000");
        sendTask(21, Upper.class.getName(), "{\"words\":[\"never\"]}");
        assertThat(Sleep.started.await(10, TimeUnit.SECONDS)).as("task 20 runs").isTrue(); // 21 waits behind it
        supervisorWriter.append(FrameType.CANCEL, 21, Frame.EMPTY);
        supervisorWriter.append(FrameType.CANCEL, 20, Frame.EMPTY);
        supervisorWriter.flush();
        Frame first = readReply();
        assertThat(first.correlationId()).isEqualTo(20);
        Messages.TaskFailure interrupted = Messages.decode(first.payload(), Messages.TaskFailure.class);
        assertThat(interrupted.exceptionClass()).isEqualTo(InterruptedException.class.getName());
        assertThat(interrupted.stackTrace()).contains("cancelled=true");
        Frame second = readReply();
        assertThat(second.correlationId()).isEqualTo(21);
        assertThat(Messages.decode(second.payload(), Messages.TaskFailure.class).message())
                .isEqualTo("task 21 was cancelled before it started");
        sendTask(22, Sleep.class.getName(), "0"); // the interrupt did not leak into the next task
        assertThat(readReply().type()).isEqualTo(FrameType.RESULT);
    }

    @Test
    void exitsNormallyOnShutdown() throws Exception {
        supervisorWriter.append(FrameType.SHUTDOWN, 0, Frame.EMPTY);
        supervisorWriter.flush();
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerExitCodes.NORMAL);
    }

    @Test
    void exitsNormallyWhenTheSupervisorClosesTheChannel() throws Exception {
        toWorker.sink().close();
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerExitCodes.NORMAL);
    }

    @Test
    void aChannelClosedUnderTheReaderEndsTheWorkerWithChannelFailed() throws Exception {
        toWorker.source().close(); // the worker's own end, while its reader is blocked reading it
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerExitCodes.CHANNEL_FAILED);
    }

    @Test
    void aPongThatCannotBeWrittenEndsTheWorkerWithChannelFailed() throws Exception {
        fromWorker.source().close(); // nobody reads the worker's frames any more: its write fails
        sendPing(3, Frame.EMPTY);
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerExitCodes.CHANNEL_FAILED);
    }

    @Test
    void aReplyThatCannotBeWrittenEndsTheWorkerEvenIfItsReaderCannotBeWoken() throws Exception {
        // As in a worker whose task closed the socket's descriptors (its own and the JDK's for
        // waking readers): writes fail, while the read in progress blocks on and ignores close.
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
        java.nio.channels.ReadableByteChannel deaf = new java.nio.channels.ReadableByteChannel() {
            @Override
            public int read(java.nio.ByteBuffer dst) throws java.io.IOException {
                return in.source().read(dst);
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
                // does not wake the reader
            }
        };
        java.nio.channels.WritableByteChannel failing = new java.nio.channels.WritableByteChannel() {
            @Override
            public int write(java.nio.ByteBuffer src) throws java.io.IOException {
                if (broken.get()) {
                    throw new java.io.IOException("Bad file descriptor");
                }
                return out.sink().write(src);
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        try {
            WorkerLoop loop = new WorkerLoop(deaf, failing, 8, MAX, loader, TaskAllowList.of(List.of("*")));
            CompletableFuture<Integer> ended = CompletableFuture.supplyAsync(() -> {
                try {
                    return loop.run(new Messages.Hello(Messages.PROTOCOL_VERSION, 1234, "tok", "java test"));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(new FrameReader(out.source(), MAX).read().type()).isEqualTo(FrameType.HELLO);
            broken.set(true);
            FrameWriter writer = new FrameWriter(in.sink(), MAX);
            writer.appendTask(1, TaskRequest.encodeName(Upper.class.getName()), 1,
                    "{\"words\":[]}".getBytes(StandardCharsets.UTF_8));
            writer.flush();
            assertThat(ended.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerExitCodes.CHANNEL_FAILED);
        } finally {
            in.sink().close(); // now the reader sees the end of its stream
            out.source().close();
        }
    }

    @Test
    void exitsWithAProtocolErrorOnAnUnexpectedFrame() throws Exception {
        supervisorWriter.append(FrameType.RESULT, 1, new byte[] {1});
        supervisorWriter.flush();
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerExitCodes.PROTOCOL_ERROR);
    }

    @Test
    void exitsWithAProtocolErrorOnATruncatedTaskPayload() throws Exception {
        supervisorWriter.append(FrameType.TASK, 1, new byte[] {0, 50, 'x'});
        supervisorWriter.flush();
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isEqualTo(WorkerExitCodes.PROTOCOL_ERROR);
    }
}
