package io.forkpool.cluster.internal;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import io.forkpool.Task;
import io.forkpool.TaskOptions;
import io.forkpool.WorkerPool;
import io.forkpool.internal.protocol.TaskTypes;
import io.forkpool.spi.TaskAllowList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The member's side: runs each {@link RunChunk} as a batch of its local {@link WorkerPool}, so a
 * task that crashes kills a worker process, never the member. Decodes the chunk's inputs with the
 * task's declared input type and encodes its outputs back, with the same Jackson limits as the
 * pool's own protocol. Tracks running chunks so a client can cancel them, and cancels a client's
 * chunks when it disconnects, so a dead client's work does not hold the workers.
 */
public final class NodeRuntime implements ClientListener {

    /** The key of this object in the member's Hazelcast user context. */
    public static final String CONTEXT_KEY = "io.forkpool.cluster.NodeRuntime";

    private final WorkerPool pool;
    private final JsonMapper mapper;
    private final ClassLoader tasks;
    private final TaskAllowList allowed;
    private final Map<String, Codec> codecs = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<?>> running = new ConcurrentHashMap<>();

    /** How one task class's inputs are read and outputs written. */
    private record Codec(Class<? extends Task<Object, Object>> taskClass, ObjectReader input, ObjectWriter output) {
    }

    /**
     * @param pool the member's local pool; it stays owned by the caller
     * @param tasks where task classes are loaded from
     * @param allowedTasks which task classes may run, as {@link TaskAllowList} patterns
     * @param maxDocumentBytes the longest input document accepted
     */
    public NodeRuntime(WorkerPool pool, ClassLoader tasks, List<String> allowedTasks, int maxDocumentBytes) {
        this.pool = pool;
        this.tasks = tasks;
        this.allowed = TaskAllowList.of(allowedTasks);
        this.mapper = io.forkpool.internal.protocol.Messages.newDataMapper(maxDocumentBytes);
    }

    /** @return the number of the local pool's workers alive now */
    public int workersAlive() {
        return pool.stats().workersAlive();
    }

    ChunkReply run(RunChunk chunk) {
        long start = System.nanoTime();
        Codec codec;
        List<Object> inputs = new ArrayList<>(chunk.inputs.size());
        try {
            codec = codecs.computeIfAbsent(chunk.taskClass, this::codec);
            for (byte[] input : chunk.inputs) {
                inputs.add(codec.input().readValue(input));
            }
        } catch (IllegalArgumentException e) {
            return ChunkReply.failed(FailureReport.refused(e.getMessage()), System.nanoTime() - start, workersAlive());
        } catch (JacksonException e) {
            return ChunkReply.failed(FailureReport.refused("cannot decode an input of " + chunk.taskClass + ": "
                    + e.getOriginalMessage()), System.nanoTime() - start, workersAlive());
        }
        TaskOptions.Builder options = TaskOptions.builder().maxAttempts(chunk.maxAttempts);
        if (chunk.timeoutMillis > 0) {
            options.timeout(Duration.ofMillis(chunk.timeoutMillis));
        }
        CompletableFuture<List<Object>> outputs;
        try {
            outputs = pool.submitAll(codec.taskClass(), inputs, options.build());
        } catch (RuntimeException e) { // closing, failed, or the input does not fit a frame
            return ChunkReply.failed(e instanceof IllegalArgumentException ? FailureReport.refused(e.getMessage())
                    : FailureReport.of(e), System.nanoTime() - start, workersAlive());
        }
        String key = chunk.key();
        running.put(key, outputs);
        try {
            List<Object> done = outputs.get();
            List<byte[]> encoded = new ArrayList<>(done.size());
            for (Object output : done) {
                encoded.add(codec.output().writeValueAsBytes(output));
            }
            return ChunkReply.succeeded(encoded, System.nanoTime() - start, workersAlive());
        } catch (ExecutionException e) {
            return ChunkReply.failed(FailureReport.of(e.getCause()), System.nanoTime() - start, workersAlive());
        } catch (CancellationException e) {
            return ChunkReply.failed(FailureReport.of(e), System.nanoTime() - start, workersAlive());
        } catch (InterruptedException e) { // the member is shutting down
            outputs.cancel(true);
            Thread.currentThread().interrupt();
            return ChunkReply.failed(FailureReport.unavailable("the member is shutting down"), System.nanoTime() - start,
                    0);
        } catch (JacksonException e) {
            return ChunkReply.failed(FailureReport.refused("cannot encode an output of " + chunk.taskClass + ": "
                    + e.getOriginalMessage()), System.nanoTime() - start, workersAlive());
        } finally {
            running.remove(key);
        }
    }

    /** Cancels a running chunk, if it still runs. */
    void cancel(String key) {
        CompletableFuture<?> chunk = running.get(key);
        if (chunk != null) {
            chunk.cancel(true);
        }
    }

    /** @return the chunks running now */
    public int chunksRunning() {
        return running.size();
    }

    @Override
    public void clientConnected(Client client) {
        // nothing to do: a client's chunks arrive on their own
    }

    @Override
    public void clientDisconnected(Client client) {
        String prefix = client.getUuid() + "/";
        running.forEach((key, chunk) -> {
            if (key.startsWith(prefix)) {
                chunk.cancel(true);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private Codec codec(String name) {
        if (!allowed.allows(name)) {
            throw allowed.refusal(name);
        }
        Class<?> candidate;
        try {
            candidate = Class.forName(name, false, tasks);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("task class " + name + " is not on this node's class path (start every "
                    + "node with the jar that holds it: --classpath)", e);
        }
        TaskTypes.Resolved types = TaskTypes.resolve(mapper.getTypeFactory(), candidate);
        return new Codec((Class<? extends Task<Object, Object>>) candidate, mapper.readerFor(types.inputType()),
                mapper.writerFor(types.outputType()));
    }
}
