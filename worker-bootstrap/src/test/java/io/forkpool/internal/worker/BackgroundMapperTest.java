package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.spi.TaskAllowList;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/** The data mapper is built on a thread of its own, and the first task waits for it. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BackgroundMapperTest {

    private static final int MAX = 1 << 20;

    @Test
    void theFirstTaskWaitsForTheMapperBuiltInTheBackground() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        JsonMapper built = Messages.newDataMapper(MAX);
        BackgroundMapper mapper = new BackgroundMapper(() -> {
            assertThat(Thread.currentThread().getName()).isEqualTo("forkpool-worker-3-jackson");
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return built;
        });
        TaskRunner runner = new TaskRunner(mapper, MAX, getClass().getClassLoader(),
                TaskAllowList.of(List.of("io.forkpool.internal.worker.*")), 3);
        mapper.start(3);
        CompletableFuture<Frame> reply = new CompletableFuture<>();
        Thread taskThread = new Thread(() -> {
            try {
                reply.complete(runner.run(task(1, "{\"words\":[\"a\"]}")));
            } catch (Exception e) {
                reply.completeExceptionally(e);
            }
        });
        taskThread.start();
        // The task thread parks in the mapper's future: its state says so, no sleep guesses it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (taskThread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(taskThread.getState()).as("the task thread, waiting for the mapper").isEqualTo(Thread.State.WAITING);
        assertThat(reply).as("waiting for the mapper").isNotDone();
        release.countDown();
        assertThat(reply.get(10, TimeUnit.SECONDS).type()).isEqualTo(FrameType.RESULT);
        assertThat(new String(reply.join().payload(), StandardCharsets.UTF_8)).isEqualTo("[\"A\"]");
        assertThat(mapper.get()).isSameAs(built);
    }

    @Test
    void aMapperThatCannotBeBuiltIsTheWorkersFailureNotATasks() {
        BackgroundMapper mapper = new BackgroundMapper(() -> {
            throw new NoClassDefFoundError("tools/jackson/databind/json/JsonMapper");
        });
        TaskRunner runner = new TaskRunner(mapper, MAX, getClass().getClassLoader(),
                TaskAllowList.of(List.of("*")), 0);
        mapper.start(0);
        // Thrown, not answered with a FAILURE: the task thread then ends the worker (CHANNEL_FAILED).
        assertThatThrownBy(() -> runner.run(task(1, "{\"words\":[]}")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the data mapper could not be built")
                .hasCauseInstanceOf(NoClassDefFoundError.class);
    }

    private static Frame task(long id, String json) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(TaskRequest.encodeName(Upper.class.getName()));
        payload.write(1);
        payload.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        return new Frame(FrameType.TASK, id, payload.toByteArray());
    }
}
