package io.forkpool.runtime.internal;

import io.forkpool.OutputHandler;
import io.forkpool.PoolOptions;
import io.forkpool.PoolStartupException;
import io.forkpool.PoolStats;
import io.forkpool.ProgressListener;
import io.forkpool.Task;
import io.forkpool.TaskFunction;
import io.forkpool.TaskName;
import io.forkpool.TaskOptions;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.runtime.DocumentPool;
import io.forkpool.runtime.internal.exec.PoolThread;
import io.forkpool.runtime.internal.exec.Scheduler;
import io.forkpool.runtime.internal.exec.SupervisorThread;
import io.forkpool.runtime.internal.launch.WorkerClasspath;
import io.forkpool.runtime.internal.launch.WorkerLauncher;
import io.forkpool.runtime.internal.ledger.Batch;
import io.forkpool.runtime.internal.ledger.TaskLedger;
import io.forkpool.runtime.internal.ledger.TaskType;
import io.forkpool.runtime.internal.ledger.TaskTypes;
import io.forkpool.runtime.internal.lifecycle.FirstStart;
import io.forkpool.runtime.internal.lifecycle.PoolLifecycle;
import io.forkpool.runtime.internal.lifecycle.PoolShutdown;
import io.forkpool.runtime.internal.lifecycle.PoolState;
import io.forkpool.runtime.internal.lifecycle.ShutdownHook;
import io.forkpool.runtime.internal.lifecycle.WorkerSupervisor;
import io.forkpool.runtime.internal.observe.PoolCounters;
import io.forkpool.runtime.internal.observe.PoolMBeanLifecycle;
import io.forkpool.runtime.internal.worker.DriverConfig;
import io.forkpool.runtime.internal.worker.WorkerSpawner;
import io.forkpool.spi.TaskAllowList;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The process-based {@link io.forkpool.WorkerPool}: the API in front, wiring the parts that do
 * the work, each of which owns its state and says so.
 * <ul>
 *   <li>{@link PoolLifecycle}: the pool's state machine;</li>
 *   <li>{@link TaskLedger}: every task from submission to completion, the queue, permits, and
 *       the fates of a dead worker's tasks;</li>
 *   <li>{@link WorkerSupervisor}: the slots, one {@code WorkerDriver} per worker process,
 *       restarts;</li>
 *   <li>{@link PoolShutdown}: closing, bounded;</li>
 *   <li>{@link PoolCounters} and the MXBean: what the pool observes, apart from what it controls.</li>
 * </ul>
 * Inputs are encoded on the caller's thread; each worker's sender pulls from the ledger's queue;
 * replies are read and futures completed on each worker's io thread, and dependent stages run
 * off the pool's threads. docs/ARCHITECTURE.md follows one task through.
 */
public final class ProcessPool implements DocumentPool {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");

    private final PoolOptions options;
    private final PoolLifecycle lifecycle;
    private final PoolCounters counters;
    private final TaskLedger ledger;
    private final WorkerSupervisor supervisor;
    private final PoolShutdown shutdown;
    private final TaskTypes types;

    /**
     * Starts the workers in parallel and waits until each has said hello.
     *
     * @param options the validated settings
     * @throws PoolStartupException if any worker cannot start; nothing is left running
     */
    public ProcessPool(PoolOptions options) {
        this(WorkerClasspath.complete(options), true);
    }

    private ProcessPool(PoolOptions options, boolean classpathComplete) {
        this(options, spawnerFor(options), new SupervisorThread(options.name()), DriverConfig.of(options));
    }

    /**
     * Starts a pool on the given seams: how workers are spawned, and the supervisor's thread and
     * clock. For tests, which give it in-memory workers and a manual clock.
     *
     * @param options the validated settings
     * @param spawner starts the workers
     * @param scheduler the supervisor thread and clock
     * @param config the drivers' settings
     * @throws PoolStartupException if any worker cannot start; nothing is left running
     */
    public ProcessPool(PoolOptions options, WorkerSpawner spawner, Scheduler scheduler, DriverConfig config) {
        this.options = Objects.requireNonNull(options, "options");
        this.lifecycle = new PoolLifecycle(options.name());
        this.counters = new PoolCounters(options.recordLatencies());
        this.ledger = new TaskLedger(options.name(), options.maxAttempts(), options.taskTimeout(),
                options.maxPendingTasks(), counters, lifecycle);
        this.supervisor = new WorkerSupervisor(options.workers(), options.warmSpares(), options.maxRestarts(), options.restartWindow(),
                config, scheduler, spawner, ledger, lifecycle, counters);
        PoolMBeanLifecycle mbean = new PoolMBeanLifecycle();
        this.shutdown = new PoolShutdown(options.name(), options.closeTimeout(), config, lifecycle, ledger, supervisor,
                scheduler, spawner, mbean, counters);
        ShutdownHook.register(shutdown);
        int cpus = Runtime.getRuntime().availableProcessors();
        if (options.workers() > cpus) {
            LOG.warn("pool {}: {} workers on {} CPUs: workers will share CPUs, and no task runs faster for it "
                    + "(they start {} at a time)", options.name(), options.workers(), cpus,
                    FirstStart.concurrentStarts(options.workers()));
        }
        // Building a Jackson mapper in a fresh JVM takes a few hundred milliseconds of CPU: the
        // pool is ready without it, and the first task that needs it waits for it.
        CompletableFuture<JsonMapper> mapper = new CompletableFuture<>();
        new PoolThread(() -> {
            try {
                mapper.complete(Messages.newDataMapper(options.maxFrameLength()));
            } catch (Throwable e) {
                mapper.completeExceptionally(e);
            }
        }, options.name() + "-mapper").start();
        this.types = new TaskTypes(TaskAllowList.of(options.allowedTasks()), mapper, options.maxFrameLength());
        List<CompletableFuture<Void>> ready;
        try {
            ready = supervisor.startAll();
        } catch (RuntimeException e) {
            shutdown.shutdown(true);
            throw e;
        }
        try {
            supervisor.awaitReady(ready, options.startupTimeout());
        } catch (RuntimeException e) {
            shutdown.shutdown(true);
            throw e;
        }
        lifecycle.advance(PoolState.RUNNING);
        LOG.info("pool {} ready: {} workers, started with {}", options.name(), options.workers(), spawner.program());
        supervisor.startSpares();
        mbean.registerLater(scheduler::execute, options.name(), this::stats);
        if (spawner instanceof WorkerLauncher) { // after the workers are up, so recording never competes with them
            ((WorkerLauncher) spawner).recordClassDataArchive();
        }
    }

    private static WorkerSpawner spawnerFor(PoolOptions options) {
        try {
            return new WorkerLauncher(options);
        } catch (IOException e) {
            throw new PoolStartupException("cannot create the private socket directory: " + e, e);
        }
    }

    // ---- submitting ----------------------------------------------------------------------------

    @Override
    public <I, O> CompletableFuture<O> submit(Class<? extends Task<I, O>> taskClass, I input, TaskOptions options) {
        return submit(types.of(taskClass), input, options);
    }

    private <O> CompletableFuture<O> submit(TaskType type, Object input, TaskOptions options) {
        byte[] encoded = types.encode(type, input);
        @SuppressWarnings("unchecked")
        CompletableFuture<O> future = (CompletableFuture<O>) (CompletableFuture<?>)
                ledger.submit(type, encoded, Objects.requireNonNull(options, "options"));
        return future;
    }

    @Override
    public <I, O> CompletableFuture<List<O>> submitAll(Class<? extends Task<I, O>> taskClass,
            List<? extends I> inputs, TaskOptions options, ProgressListener progress) {
        return submitAll(types.of(taskClass), inputs, options, progress);
    }

    private <O> CompletableFuture<List<O>> submitAll(TaskType type, List<?> inputs, TaskOptions options,
            ProgressListener progress) {
        Batch batch = submitBatch(type, inputs, options, progress, null);
        @SuppressWarnings("unchecked")
        CompletableFuture<List<O>> all = (CompletableFuture<List<O>>) (CompletableFuture<?>) batch.future;
        return all;
    }

    @Override
    public <I, O> CompletableFuture<Void> submitAllStreaming(Class<? extends Task<I, O>> taskClass,
            List<? extends I> inputs, TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler) {
        return submitAllStreaming(types.of(taskClass), inputs, options, progress, handler);
    }

    private <O> CompletableFuture<Void> submitAllStreaming(TaskType type, List<?> inputs, TaskOptions options,
            ProgressListener progress, OutputHandler<? super O> handler) {
        @SuppressWarnings("unchecked") // the outputs are decoded as O
        OutputHandler<Object> untyped = (OutputHandler<Object>) Objects.requireNonNull(handler, "handler");
        // Handed out as it is, so that cancelling it cancels the batch and a failure is seen
        // unwrapped, as with submitAll.
        @SuppressWarnings("unchecked")
        CompletableFuture<Void> done = (CompletableFuture<Void>) (CompletableFuture<?>)
                submitBatch(type, inputs, options, progress, untyped).future;
        return done;
    }

    @Override
    public <I, O> CompletableFuture<O> submit(TaskFunction<I, O> function, I input, TaskOptions options) {
        return submit(types.of(function), input, options);
    }

    @Override
    public <I, O> CompletableFuture<List<O>> submitAll(TaskFunction<I, O> function, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress) {
        return submitAll(types.of(function), inputs, options, progress);
    }

    @Override
    public <I, O> CompletableFuture<Void> submitAllStreaming(TaskFunction<I, O> function, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler) {
        return submitAllStreaming(types.of(function), inputs, options, progress, handler);
    }

    @Override
    public <I, O> CompletableFuture<O> submit(TaskName<I, O> task, I input, TaskOptions options) {
        return submit(types.of(task), input, options);
    }

    @Override
    public <I, O> CompletableFuture<List<O>> submitAll(TaskName<I, O> task, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress) {
        return submitAll(types.of(task), inputs, options, progress);
    }

    @Override
    public <I, O> CompletableFuture<Void> submitAllStreaming(TaskName<I, O> task, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler) {
        return submitAllStreaming(types.of(task), inputs, options, progress, handler);
    }

    @Override
    public CompletableFuture<List<byte[]>> submitDocuments(String taskClass, List<byte[]> inputs, TaskOptions options) {
        @SuppressWarnings("unchecked")
        CompletableFuture<List<byte[]>> all = (CompletableFuture<List<byte[]>>) (CompletableFuture<?>)
                submitBatch(types.documents(taskClass), inputs, options, ProgressListener.NONE, null).future;
        return all;
    }

    private Batch submitBatch(TaskType type, List<?> inputs, TaskOptions options, ProgressListener progress,
            OutputHandler<Object> handler) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        return ledger.submitBatch(type, types.encodeAll(type, inputs), options, progress, handler);
    }

    @Override
    public int workersAlive() {
        return supervisor.workersAlive();
    }

    // ---- closing and stats ---------------------------------------------------------------------

    @Override
    public void close() {
        shutdown.shutdown(false);
    }

    @Override
    public void closeNow() {
        shutdown.shutdown(true);
    }

    @Override
    public PoolStats stats() {
        // The workers first: an exit is counted before its worker shows dead (WorkerSupervisor).
        var workers = supervisor.workerStats();
        return counters.snapshot(options.name(), workers, supervisor.restarts(), ledger.queuedInputs(),
                supervisor.sparesReady());
    }

    /**
     * Closes the pool as the JVM's shutdown hook does for a pool never closed: at once, warning
     * of what it cancelled. For tests; applications call {@link #close()}.
     *
     * @return what was cancelled
     */
    public PoolShutdown.AtExit closeAtJvmExit() {
        return shutdown.shutdownAtExit();
    }

    /** @return the pool's state now, for tests and logs */
    public PoolState state() {
        return lifecycle.state();
    }

    @Override
    public String toString() {
        return "ProcessPool[" + options.name() + ", " + lifecycle.state() + ", " + options.workers() + " workers]";
    }
}
