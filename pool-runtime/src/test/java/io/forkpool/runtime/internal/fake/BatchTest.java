package io.forkpool.runtime.internal.fake;

import static io.forkpool.runtime.internal.fake.FakePool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.TaskFailedException;
import io.forkpool.TaskOptions;
import io.forkpool.runtime.internal.ledger.CodecTasks;
import io.forkpool.runtime.tasks.Untyped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Batches through the real supervisor over in-memory workers: inputs encoded as one array and
 * sent as ranges of it, outputs decoded a chunk at a time, with every guarantee of one by one.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BatchTest {

    /** What a scanner of the array could trip on, and a null. */
    private static final String[] AWKWARD = {"a", "b,c", "]", "[", "{\"x\":1}", "\"", "\\", "caf\u00e9", "\ud83d\ude00",
        "", " ", "\n", null};

    @Test
    void outputsComeBackInInputOrderWhateverTheChunks() throws Exception {
        try (FakePool fake = FakePool.start(2, b -> b)) {
            List<String> inputs = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                String awkward = AWKWARD[i % AWKWARD.length];
                inputs.add(awkward == null ? null : i + awkward);
            }

            assertThat(await(fake.pool.submitAll(FakeTasks.Echo.class, inputs))).isEqualTo(inputs);
            // Measured now: the next batch goes in chunks from its first reply on.
            assertThat(await(fake.pool.submitAll(FakeTasks.Echo.class, inputs))).isEqualTo(inputs);
            assertThat(fake.pool.stats().succeeded()).isEqualTo(10_000);
        }
    }

    @Test
    void aFailingInputFailsItsBatchNamingItsIndex() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            List<Integer> inputs = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                inputs.add(i);
            }
            assertThat(await(fake.pool.submitAll(FakeTasks.FailOnNegative.class, inputs))).isEqualTo(inputs);
            inputs.set(2_345, -1);

            assertThatThrownBy(() -> await(fake.pool.submitAll(FakeTasks.FailOnNegative.class, inputs))).cause()
                    .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                        assertThat(e.inputIndex()).isEqualTo(2_345);
                        assertThat(e.getMessage()).contains("negative: -1");
                    });
        }
    }

    @Test
    void anInputThatCannotBeEncodedFailsTheCallAsAloneAndQueuesNothing() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            Object tooDeep = 1;
            for (int i = 0; i < 501; i++) {
                tooDeep = List.of(tooDeep);
            }
            Object deep = tooDeep;
            Object exploding = new CodecTasks.Exploding();
            for (Object bad : new Object[] {deep, exploding}) {
                String alone = null;
                try {
                    fake.pool.submit(Untyped.class, bad);
                } catch (IllegalArgumentException e) {
                    alone = e.getMessage();
                }
                assertThat(alone).startsWith("cannot encode the input of " + Untyped.class.getName());
                assertThatThrownBy(() -> fake.pool.submitAll(Untyped.class, Arrays.asList(1, "two", bad, 4)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessage(alone);
            }
            assertThat(fake.pool.stats().submitted()).isZero();
        }
    }

    @Test
    void documentsGoAsTheyAreAndComeBackAsTheWorkerWroteThem() throws Exception {
        try (FakePool fake = FakePool.start(1, b -> b)) {
            List<byte[]> inputs = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                inputs.add((" \"" + i + ",]\"\n").getBytes(StandardCharsets.UTF_8));
                expected.add("\"" + i + ",]\"");
            }

            for (int round = 0; round < 2; round++) {
                List<byte[]> outputs = await(fake.pool.submitDocuments(FakeTasks.Echo.class.getName(), inputs,
                        TaskOptions.DEFAULT));
                assertThat(outputs).extracting(o -> new String(o, StandardCharsets.UTF_8)).isEqualTo(expected);
            }
        }
    }
}
