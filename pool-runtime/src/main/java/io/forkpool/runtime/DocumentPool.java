package io.forkpool.runtime;

import io.forkpool.PoolOptions;
import io.forkpool.TaskOptions;
import io.forkpool.WorkerPool;
import io.forkpool.runtime.internal.ProcessPool;
import io.forkpool.runtime.internal.launch.WorkerClasspath;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * A process pool that also runs batches of already encoded inputs: the service other forkpool
 * pools build on (a cluster node runs one and hands it the JSON documents it received, unchanged).
 * Application code uses {@link io.forkpool.WorkerPool#builder()} instead.
 */
public interface DocumentPool extends WorkerPool {

    /**
     * Starts a process pool and waits until its workers are ready.
     *
     * @param options the pool's settings, from {@link io.forkpool.WorkerPoolBuilder#options()}
     * @return the running pool
     * @throws io.forkpool.PoolStartupException if a worker cannot start; nothing is left running
     */
    static DocumentPool start(PoolOptions options) {
        return new ProcessPool(options);
    }

    /**
     * The class path a pool built from these options gives its workers: the one set, or else the
     * one found where forkpool and the tasks were loaded from (README, "Packaging"), for a pool
     * that adds entries of its own to the default (a cluster node adds its task jars).
     *
     * @param options the pool's settings
     * @return the workers' class path
     * @throws io.forkpool.PoolStartupException if none was set and none can be found
     */
    static List<String> workerClasspath(PoolOptions options) {
        return WorkerClasspath.complete(options).classpath();
    }

    /**
     * Runs a batch whose inputs are already encoded: the documents go to the workers as they are,
     * and each output comes back as the document its worker wrote, so nothing is decoded or
     * re-encoded here. The workers read the inputs as the task's declared types, as always.
     * Otherwise as {@link #submitAll}.
     *
     * @param taskClass the task's class name, as the workers load it
     * @param inputs one JSON document each
     * @param options overrides of the pool's settings for every input
     * @return a future of the output documents, in input order
     * @throws IllegalArgumentException if the pool's allow-list refuses the task, or an input is
     *     longer than a frame
     * @throws RejectedExecutionException as for {@link #submitAll}
     */
    CompletableFuture<List<byte[]>> submitDocuments(String taskClass, List<byte[]> inputs, TaskOptions options);

    /** @return how many of its workers are alive now; cheaper than {@code stats().workersAlive()} */
    int workersAlive();
}
