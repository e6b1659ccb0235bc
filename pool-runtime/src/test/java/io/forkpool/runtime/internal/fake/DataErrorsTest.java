package io.forkpool.runtime.internal.fake;

import static io.forkpool.runtime.internal.fake.FakePool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.TaskDataException;
import io.forkpool.TaskDataException.Direction;
import io.forkpool.TaskOptions;
import io.forkpool.runtime.internal.ledger.CodecTasks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.exc.InvalidTypeIdException;

/**
 * A task's data that cannot cross fails it with a {@link TaskDataException}, not as if the task
 * threw: an input the worker cannot decode (sent as a document, which skips the check at submit),
 * an output the worker cannot encode, an output the pool cannot decode. The worker serves on.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DataErrorsTest {

    private static final String SHAPE = CodecTasks.Shape.class.getName();

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anInputThatEncodesButDoesNotDecodeFailsSubmitAtOnceAndQueuesNothing() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            CodecTasks.NoCreator pojo = new CodecTasks.NoCreator(3);
            CodecTasks.Framed framed = new CodecTasks.Framed(new CodecTasks.Dot(1));
            assertThatThrownBy(() -> fake.pool.submit(CodecTasks.NoCreators.class, pojo))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encodes, but cannot be decoded as "
                            + CodecTasks.NoCreator.class.getName() + ", so no worker could read it");
            assertThatThrownBy(() -> fake.pool.submitAll(CodecTasks.NoCreators.class, List.of(pojo, pojo)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be decoded as");
            assertThatThrownBy(() -> fake.pool.submit(CodecTasks.Framings.class, framed))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encodes, but cannot be decoded as "
                            + CodecTasks.Framed.class.getName() + ", so no worker could read it");
            assertThatThrownBy(() -> fake.pool.invokeAll(CodecTasks.Framings.class, List.of(framed)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be decoded as");
            assertThat(fake.pool.stats().submitted()).isZero();
        }
    }

    @Test
    void anInputTheWorkerCannotDecodeIsADataErrorOfThatInputAndTheTaskNeverRan() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            List<byte[]> inputs = List.of(json("\"ok\""), json("{\"a\":1}"), json("\"never\""));

            assertThatThrownBy(() -> await(fake.pool.submitDocuments(FakeTasks.Echo.class.getName(), inputs,
                    TaskOptions.DEFAULT))).cause().isInstanceOfSatisfying(TaskDataException.class, e -> {
                        assertThat(e.direction()).isEqualTo(Direction.INPUT);
                        assertThat(e.inputIndex()).isEqualTo(1);
                        assertThat(e.taskClass()).isEqualTo(FakeTasks.Echo.class.getName());
                        assertThat(e.declaredType()).as("documents: the pool knows no type").isNull();
                        assertThat(e.workerId()).isZero();
                        assertThat(e.workerPid()).isEqualTo(fake.spawner.all.get(0).pid());
                        assertThat(e.remoteExceptionClass())
                                .isEqualTo("tools.jackson.databind.exc.MismatchedInputException");
                        assertThat(e.getMessage()).startsWith("input 1 of task ")
                                .contains(" (" + FakeTasks.Echo.class.getName() + ") could not be decoded in worker 0 (pid "
                                        + e.workerPid() + "), so the task never ran: "
                                        + "tools.jackson.databind.exc.MismatchedInputException: ");
                    });
            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "after"))).isEqualTo("after");
            assertThat(fake.spawner.all).hasSize(1);
        }
    }

    @Test
    void anOutputTheWorkerCannotEncodeIsADataErrorOfThatOutput() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            long pid = fake.spawner.get(0).pid();
            assertThatThrownBy(() -> await(fake.pool.submit(FakeTasks.ShapeOf.class, "cracked"))).cause()
                    .isInstanceOfSatisfying(TaskDataException.class, e -> {
                        assertThat(e.direction()).isEqualTo(Direction.OUTPUT);
                        assertThat(e.inputIndex()).isEqualTo(-1);
                        assertThat(e.declaredType()).isEqualTo(SHAPE);
                        assertThat(e.workerPid()).isEqualTo(pid);
                        assertThat(e.remoteMessage()).contains("cracked");
                        assertThat(e.getMessage()).startsWith("the output of task ").contains(" ("
                                + FakeTasks.ShapeOf.class.getName() + ") could not be encoded as " + SHAPE
                                + " in worker 0 (pid " + pid + "): ");
                    });
            assertThatThrownBy(() -> await(fake.pool.submitAll(FakeTasks.ShapeOf.class,
                    List.of("circle", "circle", "cracked", "circle")))).cause()
                    .isInstanceOfSatisfying(TaskDataException.class, e -> {
                        assertThat(e.direction()).isEqualTo(Direction.OUTPUT);
                        assertThat(e.inputIndex()).isEqualTo(2);
                        assertThat(e.getMessage()).startsWith("output 2 of task ");
                    });
            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "after"))).isEqualTo("after");
        }
    }

    @Test
    void anOutputThePoolCannotDecodeIsADataErrorFoundByThePool() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            assertThatThrownBy(() -> await(fake.pool.submit(FakeTasks.ShapeOf.class, "triangle"))).cause()
                    .isInstanceOfSatisfying(TaskDataException.class, e -> {
                        assertThat(e.direction()).isEqualTo(Direction.OUTPUT);
                        assertThat(e.inputIndex()).isEqualTo(-1);
                        assertThat(e.workerId()).isEqualTo(-1);
                        assertThat(e.workerPid()).isEqualTo(-1);
                        assertThat(e.remoteExceptionClass()).isEqualTo(InvalidTypeIdException.class.getName());
                        assertThat(e.getCause()).isInstanceOf(InvalidTypeIdException.class);
                        assertThat(e.getMessage()).startsWith("the output of task ").contains(" ("
                                + FakeTasks.ShapeOf.class.getName() + ") could not be decoded as " + SHAPE
                                + " by the pool: " + InvalidTypeIdException.class.getName() + ": ");
                    });
            assertThatThrownBy(() -> await(fake.pool.submitAll(FakeTasks.ShapeOf.class,
                    List.of("circle", "circle", "triangle", "circle")))).cause()
                    .isInstanceOfSatisfying(TaskDataException.class, e -> {
                        assertThat(e.inputIndex()).isEqualTo(2);
                        assertThat(e.workerPid()).isEqualTo(-1);
                        assertThat(e.getMessage()).startsWith("output 2 of task ");
                    });
            assertThat(await(fake.pool.submit(FakeTasks.Echo.class, "after"))).isEqualTo("after");
        }
    }

    @Test
    void anOutputIsDecodedStrictlyAsItsDeclaredTypeWithoutCoercion() throws Exception {
        String claimed = FakeTasks.Claimed.class.getName();
        String[][] cases = {
            {"string", "tools.jackson.databind.exc.MismatchedInputException", "Cannot coerce String value (\"25\") to `long` value"},
            {"fraction", "tools.jackson.databind.exc.InvalidFormatException", "Cannot coerce Floating-point value (1.5) to `long` value"},
            {"boolean", "tools.jackson.databind.exc.MismatchedInputException", "Cannot deserialize value of type `long` from Boolean value"},
        };
        try (FakePool fake = FakePool.start(1, b -> b)) {
            for (String[] c : cases) {
                assertThatThrownBy(() -> await(fake.pool.submit(FakeTasks.Claims.class, c[0]))).as(c[0]).cause()
                        .isInstanceOfSatisfying(TaskDataException.class, e -> {
                            assertThat(e.direction()).isEqualTo(Direction.OUTPUT);
                            assertThat(e.declaredType()).isEqualTo(claimed);
                            assertThat(e.workerId()).as("found by the pool").isEqualTo(-1);
                            assertThat(e.workerPid()).isEqualTo(-1);
                            assertThat(e.remoteExceptionClass()).isEqualTo(c[1]);
                            assertThat(e.remoteMessage()).startsWith(c[2]);
                            assertThat(e.getMessage()).startsWith("the output of task ").contains(" ("
                                    + FakeTasks.Claims.class.getName() + ") could not be decoded as " + claimed
                                    + " by the pool: " + c[1] + ": " + c[2]);
                        });
            }
            assertThat(await(fake.pool.submit(FakeTasks.Claims.class, "number")).getValue()).isEqualTo(25L);
            assertThat(fake.spawner.all).as("a data error is not a crash").hasSize(1);
        }
    }
}
