package io.forkpool.cluster.internal;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.core.HazelcastInstance;
import io.forkpool.TaskOptions;
import io.forkpool.internal.protocol.TaskMethods;
import io.forkpool.runtime.DocumentPool;
import io.forkpool.spi.TaskAllowList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The member's side: runs each {@link RunChunk} as a batch of its local process pool, so a task
 * that crashes kills a worker process, never the member. The chunk's inputs are JSON documents
 * and go to the workers as they are ({@link DocumentPool#submitDocuments}); the outputs come back
 * as the documents the workers wrote: the node never decodes or re-encodes a task's data, the
 * workers read it as the task's declared types. Tracks running chunks so a client can cancel
 * them, and cancels a client's chunks when it disconnects, so a dead client's work does not hold
 * the workers.
 */
public final class NodeRuntime implements ClientListener {

    /** The key of this object in the member's Hazelcast user context. */
    public static final String CONTEXT_KEY = "io.forkpool.cluster.NodeRuntime";

    private final DocumentPool pool;
    private final ClassLoader tasks;
    private final TaskAllowList allowed;
    /** Task classes found on this node's class path; each is looked up once. */
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<?>> running = new ConcurrentHashMap<>();

    /**
     * @param pool the member's local pool; it stays owned by the caller
     * @param tasks where the node looks task classes up, to refuse one its workers could not load
     * @param allowedTasks which task classes may run, as {@link TaskAllowList} patterns
     */
    public NodeRuntime(DocumentPool pool, ClassLoader tasks, List<String> allowedTasks) {
        this.pool = pool;
        this.tasks = tasks;
        this.allowed = TaskAllowList.of(allowedTasks);
    }

    /** @return the node's runtime, or {@code null} if the member runs no forkpool node */
    static NodeRuntime of(HazelcastInstance member) {
        Object runtime = member == null ? null : member.getUserContext().get(CONTEXT_KEY);
        return runtime instanceof NodeRuntime ? (NodeRuntime) runtime : null;
    }

    ChunkReply run(RunChunk chunk) {
        long start = System.nanoTime();
        TaskOptions.Builder options = TaskOptions.builder().maxAttempts(chunk.maxAttempts);
        if (chunk.timeoutMillis > 0) {
            options.timeout(Duration.ofMillis(chunk.timeoutMillis));
        }
        CompletableFuture<List<byte[]>> outputs;
        try {
            checkPresent(chunk.taskClass);
            outputs = pool.submitDocuments(chunk.taskClass, chunk.inputs, options.build());
        } catch (IllegalArgumentException e) { // refused, missing, or an input longer than a frame
            return ChunkReply.failed(FailureReport.refused(e.getMessage()), System.nanoTime() - start, workersAlive());
        } catch (RuntimeException e) { // the pool is closing or failed
            return ChunkReply.failed(FailureReport.of(e), System.nanoTime() - start, workersAlive());
        }
        String key = chunk.key();
        running.put(key, outputs);
        try {
            return ChunkReply.succeeded(outputs.get(), System.nanoTime() - start, workersAlive());
        } catch (ExecutionException e) {
            return ChunkReply.failed(FailureReport.of(e.getCause()), System.nanoTime() - start, workersAlive());
        } catch (CancellationException e) {
            return ChunkReply.failed(FailureReport.of(e), System.nanoTime() - start, workersAlive());
        } catch (InterruptedException e) { // the member is shutting down
            outputs.cancel(true);
            Thread.currentThread().interrupt();
            return ChunkReply.failed(FailureReport.unavailable("the member is shutting down"), System.nanoTime() - start,
                    0);
        } finally {
            running.remove(key);
        }
    }

    private int workersAlive() {
        return pool.workersAlive();
    }

    /** @return the key a running chunk is tracked under: its client's id, a slash, its id */
    static String key(String clientId, long chunkId) {
        return clientId + '/' + chunkId;
    }

    /** Cancels a client's chunk, if it still runs. */
    void cancel(String clientId, long chunkId) {
        CompletableFuture<?> chunk = running.get(key(clientId, chunkId));
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
        String prefix = client.getUuid() + "/"; // what every key() of that client starts with
        running.forEach((key, chunk) -> {
            if (key.startsWith(prefix)) {
                chunk.cancel(true);
            }
        });
    }

    /**
     * Refuses a task class (or a task method's class, for {@code Class::method}) this node does
     * not allow or cannot find, with a message that says how to fix it, before any of its inputs
     * reach a worker. The name is checked before anything is loaded, and the class is not
     * initialised here; the workers check the method itself.
     */
    private void checkPresent(String name) {
        if (present.contains(name)) {
            return;
        }
        if (!allowed.allows(name)) {
            throw allowed.refusal(name);
        }
        String owner = TaskMethods.ownerOf(name);
        try {
            Class.forName(owner, false, tasks);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("task class " + owner + " is not on this node's class path (start every "
                    + "node with the jar that holds it: --classpath)", e);
        }
        present.add(name);
    }
}
