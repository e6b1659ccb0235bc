package io.forkpool.micrometer;

import io.forkpool.OutputHandler;
import io.forkpool.PoolStats;
import io.forkpool.ProgressListener;
import io.forkpool.Task;
import io.forkpool.TaskFunction;
import io.forkpool.TaskName;
import io.forkpool.TaskOptions;
import io.forkpool.WorkerPool;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A pool that runs nothing and answers {@link #stats()} with the snapshot it was last given, counting the calls. */
final class StubPool implements WorkerPool {

    private volatile PoolStats stats;
    private final AtomicInteger statsCalls = new AtomicInteger();

    StubPool(PoolStats stats) {
        this.stats = stats;
    }

    void answer(PoolStats next) {
        stats = next;
    }

    int statsCalls() {
        return statsCalls.get();
    }

    @Override
    public PoolStats stats() {
        statsCalls.incrementAndGet();
        return stats;
    }

    @Override
    public <I, O> CompletableFuture<O> submit(Class<? extends Task<I, O>> taskClass, I input, TaskOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <I, O> CompletableFuture<List<O>> submitAll(Class<? extends Task<I, O>> taskClass, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <I, O> CompletableFuture<Void> submitAllStreaming(Class<? extends Task<I, O>> taskClass,
            List<? extends I> inputs, TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <I, O> CompletableFuture<O> submit(TaskFunction<I, O> function, I input, TaskOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <I, O> CompletableFuture<List<O>> submitAll(TaskFunction<I, O> function, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <I, O> CompletableFuture<Void> submitAllStreaming(TaskFunction<I, O> function, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <I, O> CompletableFuture<O> submit(TaskName<I, O> task, I input, TaskOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <I, O> CompletableFuture<List<O>> submitAll(TaskName<I, O> task, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <I, O> CompletableFuture<Void> submitAllStreaming(TaskName<I, O> task, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }

    @Override
    public void closeNow() {
    }
}
