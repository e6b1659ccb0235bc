package io.forkpool.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.runtime.DocumentPool;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class NodeRuntimeTest {

    private static final List<byte[]> ONE_INPUT = List.of("{\"from\":0,\"to\":10}".getBytes(StandardCharsets.UTF_8));

    /** Names the local pool was asked to run. */
    private final List<String> submitted = new CopyOnWriteArrayList<>();

    /** A local pool that answers every chunk with "4" per input, recording the task names. */
    private final DocumentPool pool = (DocumentPool) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {DocumentPool.class}, (proxy, method, args) -> switch (method.getName()) {
                case "submitDocuments" -> {
                    submitted.add((String) args[0]);
                    yield CompletableFuture.completedFuture(List.of("4".getBytes(StandardCharsets.UTF_8)));
                }
                case "workersAlive" -> 2;
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private ChunkReply run(NodeRuntime runtime, String taskName) {
        return runtime.run(new RunChunk("client", 1, taskName, 1, 0, ONE_INPUT));
    }

    @Test
    void aMethodOfAClassOnTheClassPathRuns() {
        NodeRuntime runtime = new NodeRuntime(pool, getClass().getClassLoader(), List.of("io.forkpool.examples.*"));
        ChunkReply reply = run(runtime, "io.forkpool.examples.Primes::count");
        assertThat(reply.failure).isNull();
        assertThat(reply.outputs).hasSize(1);
        assertThat(submitted).containsExactly("io.forkpool.examples.Primes::count");
    }

    @Test
    void aMethodIsRefusedByItsClassBeforeAnythingRuns() {
        NodeRuntime runtime = new NodeRuntime(pool, getClass().getClassLoader(), List.of("io.forkpool.examples.*"));
        assertThat(run(runtime, "io.forkpool.examples.Missing::count").failure.message)
                .startsWith("task class io.forkpool.examples.Missing is not on this node's class path");
        assertThat(run(runtime, "io.forkpool.cluster.tasks.FailOn::execute").failure.message)
                .isEqualTo("io.forkpool.cluster.tasks.FailOn::execute is not in the pool's task allow-list"
                        + " [io.forkpool.examples.*]");
        assertThat(submitted).isEmpty();
    }
}
