package io.forkpool.runtime.internal;

import io.forkpool.ExitCause;
import io.forkpool.ForkPoolException;
import io.forkpool.OutputHandler;
import io.forkpool.PoisonTaskException;
import io.forkpool.PoolFailedException;
import io.forkpool.PoolOptions;
import io.forkpool.PoolStartupException;
import io.forkpool.PoolStats;
import io.forkpool.ProgressListener;
import io.forkpool.Task;
import io.forkpool.TaskOptions;
import io.forkpool.WorkerCrashedException;
import io.forkpool.WorkerPool;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.spi.TaskAllowList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The process-based {@link WorkerPool}. See {@link PoolState} for its lifecycle and
 * {@link WorkerProcess} for one worker's.
 *
 * <p>Dispatch: {@code submit} encodes the input on the caller's thread and appends the task to
 * one shared deque. Each worker's sender thread pulls from it while its worker holds fewer than
 * {@code tasksInFlightPerWorker} tasks, so a fast worker takes more and no central dispatcher
 * thread stands in the way as workers are added. Replies are read and futures completed on
 * each worker's io thread.
 *
 * <p>The {@code -supervisor} thread handles worker exits (retries, poison, re-queueing),
 * restarts, timeouts and cancellations; nothing on it blocks for long.
 */
public final class ProcessPool implements WorkerPool {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");

    private final PoolOptions options;
    private final JsonMapper mapper;
    private final TaskAllowList allowedTasks;
    private final WorkerLauncher launcher;
    private final ScheduledThreadPoolExecutor supervisor;
    private final RestartPolicy restartPolicy;
    private final PendingLimit pending;
    private final WorkerSlot[] slots;
    /** Every process not yet reaped, retiring ones included; close() stops them all. */
    private final Set<WorkerProcess> live = ConcurrentHashMap.newKeySet();
    private final TaskQueue queue = new TaskQueue();
    private final ConcurrentHashMap<Class<?>, TaskType> taskTypes = new ConcurrentHashMap<>();
    /** Task classes known by name only, whose inputs and outputs stay JSON documents ({@link #submitDocuments}). */
    private final ConcurrentHashMap<String, TaskType> documentTypes = new ConcurrentHashMap<>();

    private final AtomicLong taskIds = new AtomicLong();
    /** Tasks submitted and not yet completed; close() waits for it to reach zero. */
    private final AtomicLong outstanding = new AtomicLong();
    private final PoolCounters counters;

    private final Object lifecycle = new Object();
    private volatile PoolState state = PoolState.STARTING; // written under lifecycle
    private volatile PoolFailedException failure; // why the pool FAILED
    private boolean closerClaimed; // guarded by lifecycle
    private volatile boolean abortDrain; // closeNow() during a graceful close
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final PoolMBeanLifecycle mbean = new PoolMBeanLifecycle();

    /**
     * Starts the workers in parallel and waits until each has said hello.
     *
     * @param options the validated settings
     * @throws PoolStartupException if any worker cannot start; nothing is left running
     */
    public ProcessPool(PoolOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.allowedTasks = TaskAllowList.of(options.allowedTasks());
        this.restartPolicy = new RestartPolicy(options.maxRestarts(), options.restartWindow());
        this.supervisor = new ScheduledThreadPoolExecutor(1, r -> new PoolThread(r, options.name() + "-supervisor"));
        this.pending = new PendingLimit(options.maxPendingTasks());
        this.supervisor.setRemoveOnCancelPolicy(true);
        this.slots = new WorkerSlot[options.workers()];
        this.counters = new PoolCounters(options.recordLatencies());
        try {
            this.launcher = new WorkerLauncher(options);
        } catch (IOException e) {
            supervisor.shutdownNow();
            throw new PoolStartupException("cannot create the private socket directory: " + e, e);
        }
        ShutdownHook.register(this);
        long deadline = System.nanoTime() + options.startupTimeout().toNanos(); // counted from spawn
        WorkerProcess[] started;
        try {
            started = spawnAll();
        } catch (RuntimeException e) {
            closeNow();
            throw e;
        }
        // Building a Jackson mapper in a fresh JVM takes a few hundred milliseconds: do it while
        // the workers boot. Nothing reads the mapper before the pool is running.
        this.mapper = Messages.newDataMapper(options.maxFrameLength());
        try {
            awaitReady(started, deadline);
        } catch (RuntimeException e) {
            closeNow();
            throw e;
        }
        LOG.info("pool {} ready: {} workers, started with {}", options.name(), slots.length, launcher.program());
        mbean.registerLater(supervisor, options.name(), this::stats);
        // After the workers are up, so recording never competes with this pool's start.
        launcher.recordClassDataArchive();
    }

    /** Starts every worker without waiting for any; a failure to start one leaves the others to closeNow(). */
    private WorkerProcess[] spawnAll() {
        WorkerProcess[] started = new WorkerProcess[slots.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new WorkerSlot(i);
            try {
                started[i] = spawn(slots[i]);
            } catch (IOException | RuntimeException e) {
                throw new PoolStartupException("cannot start worker " + i + ": cannot run "
                        + launcher.program() + ": " + e.getMessage(), e);
            }
        }
        return started;
    }

    /** Waits until every started worker said hello, or the deadline passes. */
    private void awaitReady(WorkerProcess[] started, long deadline) {
        for (WorkerProcess process : started) {
            try {
                process.ready.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw (RuntimeException) e.getCause();
            } catch (TimeoutException e) {
                process.kill(ExitCause.STARTUP_FAILURE, "did not say hello within " + options.startupTimeout());
                awaitQuietly(process.ready);
                throw new PoolStartupException(process + " did not say hello within " + options.startupTimeout(),
                        null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PoolStartupException("interrupted while starting workers", e);
            }
        }
        synchronized (lifecycle) {
            if (state == PoolState.STARTING) {
                state = PoolState.RUNNING;
            }
        }
    }

    private static void awaitQuietly(CompletableFuture<?> future) {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // reported elsewhere
        }
    }

    /** Spawns a process into a slot and starts its threads. */
    private WorkerProcess spawn(WorkerSlot slot) throws IOException {
        WorkerLauncher.Spawned spawned = launcher.spawn(slot.id, ++slot.incarnations);
        WorkerProcess process = new WorkerProcess(this, slot, spawned, options.tasksInFlightPerWorker());
        slot.process = process;
        live.add(process);
        process.ready.thenRun(restartPolicy::onReady);
        process.start();
        supervisor.schedule(() -> {
            if (!process.ready.isDone()) {
                process.kill(ExitCause.STARTUP_FAILURE, "did not say hello within " + options.startupTimeout());
            }
        }, options.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return process;
    }

    /**
     * Spawns a replacement under the lifecycle lock: close() takes its list of processes to stop
     * after it has left the restarting states, so a process spawned here is always on that list.
     */
    private void respawn(WorkerSlot slot) {
        synchronized (lifecycle) {
            if (!state.restartsWorkers()) {
                return;
            }
            try {
                spawn(slot);
            } catch (IOException | RuntimeException e) {
                LOG.error("pool {}: cannot start a replacement for worker {}: {}", options.name(), slot.id,
                        e.getMessage());
                scheduleRestart(slot, true);
            }
        }
    }

    /** Starts a retiring worker's replacement now, before the old one has left. Any thread. */
    void replace(WorkerProcess retiring) {
        supervisor.execute(() -> {
            if (retiring.slot.process == retiring) {
                respawn(retiring.slot);
            }
        });
    }

    // ---- submitting ----------------------------------------------------------------------------

    @Override
    public <I, O> CompletableFuture<O> submit(Class<? extends Task<I, O>> taskClass, I input, TaskOptions options) {
        TaskType type = taskType(taskClass);
        byte[] encoded = encode(type, input);
        TaskRecord task = newRecord(type, encoded, Objects.requireNonNull(options, "options"));
        queue(task);
        @SuppressWarnings("unchecked")
        CompletableFuture<O> future = (CompletableFuture<O>) task.future;
        return future;
    }

    @Override
    public <I, O> CompletableFuture<List<O>> submitAll(Class<? extends Task<I, O>> taskClass,
            List<? extends I> inputs, TaskOptions options, ProgressListener progress) {
        Batch batch = submitBatch(taskType(taskClass), inputs, options, progress, null);
        @SuppressWarnings("unchecked")
        CompletableFuture<List<O>> all = (CompletableFuture<List<O>>) (CompletableFuture<?>) batch.future;
        return all;
    }

    @Override
    public <I, O> CompletableFuture<Void> submitAllStreaming(Class<? extends Task<I, O>> taskClass,
            List<? extends I> inputs, TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler) {
        @SuppressWarnings("unchecked") // the outputs are decoded as O
        OutputHandler<Object> untyped = (OutputHandler<Object>) Objects.requireNonNull(handler, "handler");
        // A streaming batch's future completes with null: handed out as it is, so that cancelling
        // it cancels the batch and a failure is seen unwrapped, as with submitAll.
        @SuppressWarnings("unchecked")
        CompletableFuture<Void> done = (CompletableFuture<Void>) (CompletableFuture<?>)
                submitBatch(taskType(taskClass), inputs, options, progress, untyped).future;
        return done;
    }

    /**
     * Runs a batch whose inputs are already encoded, for a caller that received them as JSON
     * documents and hands the outputs on as such (a cluster node): the documents go to the workers
     * as they are, and each output comes back as the document its worker wrote, so nothing is
     * decoded or re-encoded here. The workers read the inputs as the task's declared types, as
     * always. Otherwise as {@link #submitAll}.
     *
     * @param taskClass the task's class name, as the workers load it
     * @param inputs one JSON document each
     * @param options overrides of the pool's settings for every input
     * @return a future of the output documents, in input order
     * @throws IllegalArgumentException if the pool's allow-list refuses the task, or an input is
     *     longer than a frame
     * @throws RejectedExecutionException as for {@link #submitAll}
     */
    public CompletableFuture<List<byte[]>> submitDocuments(String taskClass, List<byte[]> inputs, TaskOptions options) {
        TaskType type = documentTypes.computeIfAbsent(Objects.requireNonNull(taskClass, "taskClass"), name -> {
            if (!allowedTasks.allows(name)) {
                throw allowedTasks.refusal(name);
            }
            return TaskType.documents(name, mapper);
        });
        @SuppressWarnings("unchecked")
        CompletableFuture<List<byte[]>> all = (CompletableFuture<List<byte[]>>) (CompletableFuture<?>)
                submitBatch(type, inputs, options, ProgressListener.NONE, null).future;
        return all;
    }

    /** @return how many of its workers are alive now; cheaper than {@code stats().workersAlive()} */
    public int workersAlive() {
        int alive = 0;
        for (WorkerSlot slot : slots) {
            WorkerProcess process = slot == null ? null : slot.process;
            if (process != null && process.process.isAlive()) {
                alive++;
            }
        }
        return alive;
    }

    /** Encodes every input, then queues the batch; {@code handler} is {@code null} to gather a list. */
    private Batch submitBatch(TaskType type, List<?> inputs, TaskOptions options, ProgressListener progress,
            OutputHandler<Object> handler) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        byte[][] encoded = new byte[inputs.size()][];
        for (int i = 0; i < encoded.length; i++) { // encode all first: a bad input queues nothing
            encoded[i] = encode(type, inputs.get(i));
        }
        Batch batch = new Batch(type, encoded, options.maxAttempts().orElse(this.options.maxAttempts()),
                options.timeout().orElse(this.options.taskTimeout()), progress, handler);
        // One span of everything, cut into chunks as workers ask for work (ChunkSizer). A timeout
        // is per input, so inputs with one travel alone; so do inputs under a bound, in parts.
        boolean bounded = this.options.maxPendingTasks() > 0;
        if (encoded.length == 0) {
            batch.deliver(0, new Object[0]);
        } else if (batch.timeout == null && !bounded) {
            enqueue(List.of(newSpan(batch, 0, encoded.length)));
        } else {
            List<TaskRecord> tasks = new ArrayList<>(encoded.length);
            for (int i = 0; i < encoded.length; i++) {
                tasks.add(newSpan(batch, i, i + 1));
            }
            if (bounded) {
                queueEach(batch, tasks);
            } else {
                enqueue(tasks);
            }
        }
        return batch;
    }

    private TaskRecord newSpan(Batch batch, int from, int to) {
        TaskRecord span = new TaskRecord(taskIds.incrementAndGet(), batch, from, to);
        span.future.countIn(counters);
        // One callback: the pool's bookkeeping, then the batch (the span was counted as it completed).
        span.future.whenComplete((ignored, error) -> {
            onTaskDone(span, error);
            batch.spanDone(span, error);
        });
        batch.track(span);
        return span;
    }

    /**
     * Cuts a span its caller holds after its first {@code inputs}; the rest goes back to the head
     * of the queue as a span of its own. A worker's sender thread.
     */
    void cut(TaskRecord span, int inputs) {
        TaskRecord rest;
        synchronized (span) { // against its completion, which counts its size (TaskFuture)
            if (span.future.isSettled()) {
                return; // completed meanwhile, counted whole: no rest to queue
            }
            outstanding.incrementAndGet(); // before the rest exists: its completion counts it out
            rest = newSpan(span.batch, span.from + inputs, span.to);
            span.to = span.from + inputs;
        }
        requeue(List.of(rest));
    }

    /**
     * Queues a bounded batch's tasks one by one, each waiting for room. If one is refused (the
     * caller was interrupted, or the pool closed), the caller gets no future, so nobody could
     * wait for or cancel the tasks already queued: the batch is cancelled before the refusal is
     * thrown.
     */
    private void queueEach(Batch batch, List<TaskRecord> tasks) {
        for (int i = 0; i < tasks.size(); i++) {
            try {
                queue(tasks.get(i));
            } catch (RejectedExecutionException e) {
                for (TaskRecord unqueued : tasks.subList(i, tasks.size())) {
                    batch.untrack(unqueued); // never submitted: neither counted nor completed
                }
                batch.future.cancel(true);
                throw e;
            }
        }
    }

    /** Queues one task, first waiting for room if the pool bounds pending tasks. */
    private void queue(TaskRecord task) {
        // A task of a batch that failed fast may be cancelled before its turn; it is still queued
        // (the senders drop it) because its completion already counted it out of `outstanding`.
        if (!task.future.isDone() && pending.acquire(options.name())) {
            task.holdPermit();
            if (task.future.isDone() && task.releasePermit()) {
                pending.release(); // completed while we waited, before it held the permit
            }
        }
        try {
            enqueue(List.of(task));
        } catch (RejectedExecutionException e) {
            if (task.releasePermit()) {
                pending.release(); // its future never completes, so nothing else gives it back
            }
            throw e;
        }
    }

    private TaskType taskType(Class<?> taskClass) {
        Objects.requireNonNull(taskClass, "taskClass");
        return taskTypes.computeIfAbsent(taskClass, c -> {
            if (!allowedTasks.allows(c.getName())) {
                throw allowedTasks.refusal(c.getName());
            }
            return TaskType.of(c, mapper);
        });
    }

    private byte[] encode(TaskType type, Object input) {
        byte[] encoded = type.encodeInput(input);
        long payload = (long) type.namePrefix().length + 1 + encoded.length;
        if (payload > options.maxFrameLength()) {
            throw new IllegalArgumentException("the input of " + type.name() + " encodes to " + payload
                    + " bytes, more than maxFrameLength " + options.maxFrameLength());
        }
        return encoded;
    }

    private TaskRecord newRecord(TaskType type, byte[] input, TaskOptions taskOptions) {
        TaskRecord task = new TaskRecord(taskIds.incrementAndGet(), type, input,
                taskOptions.maxAttempts().orElse(options.maxAttempts()),
                taskOptions.timeout().orElse(options.taskTimeout()));
        task.future.countIn(counters);
        task.future.whenComplete((output, error) -> onTaskDone(task, error));
        return task;
    }

    private void enqueue(List<TaskRecord> tasks) {
        // Count first, then check: close() waits for outstanding to drain, so a task that passed
        // the check is always either drained or completed by the final sweep.
        outstanding.addAndGet(tasks.size());
        PoolState now = state;
        if (!now.acceptsTasks()) {
            outstanding.addAndGet(-tasks.size());
            throw new RejectedExecutionException("pool " + options.name() + " is " + now.name().toLowerCase()
                    + (now == PoolState.FAILED ? ": " + failure.getMessage() : ""), failure);
        }
        counters.submitted(TaskRecord.inputs(tasks));
        queue.addAll(tasks);
        abandonIfStopped(tasks);
    }

    /**
     * Takes tasks just queued back out and abandons them if the pool has meanwhile failed or is
     * stopping: they raced with closeNow() or a pool failure whose sweep of the queue may have run.
     */
    private void abandonIfStopped(List<TaskRecord> tasks) {
        if (state.ordinal() >= PoolState.FAILED.ordinal()) {
            for (TaskRecord task : tasks) {
                if (queue.remove(task)) {
                    abandon(task);
                }
            }
        }
    }

    private void onTaskDone(TaskRecord task, Throwable error) {
        if (error instanceof CancellationException) { // counted already, by the TaskFuture
            WorkerProcess holder = task.holder;
            if (holder != null) {
                holder.onCancelled(task);
            }
        }
        if (task.releasePermit()) {
            pending.release(); // after completion, which counted it: a submitter that got room sees it counted
        }
        if (outstanding.decrementAndGet() == 0 && state != PoolState.RUNNING) {
            synchronized (lifecycle) {
                lifecycle.notifyAll();
            }
        }
    }

    /** Completes a task the pool will not run: failed if the pool failed, else cancelled. */
    private void abandon(TaskRecord task) {
        PoolFailedException why = failure;
        if (why != null) {
            task.future.completeExceptionally(why);
        } else {
            task.future.completeExceptionally(new CancellationException(task + " cancelled: pool "
                    + options.name() + " closed before it completed"));
        }
    }

    // ---- worker exits and restarts (supervisor thread) -----------------------------------------

    void onWorkerExit(WorkerExit exit) {
        WorkerProcess process = exit.process();
        live.remove(process);
        counters.exited(exit.cause());
        process.slot.lastExitCause = exit.cause();
        if (!process.ready.isDone()) {
            process.ready.completeExceptionally(new PoolStartupException(process + " " + exit.description()
                    + " before it said hello, after " + exit.uptimeMillis() + " ms"
                    + (exit.outputTail().isEmpty() ? "; it wrote no output" : "; its output:\n" + exit.outputTail()),
                    null));
        }
        if (exit.cause() == ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL) {
            LOG.warn("pool {}: {} killed after {} ms: {}; {} task(s) in flight", options.name(), process,
                    exit.uptimeMillis(), exit.description(), exit.orphans().size());
        } else if (!exit.cause().isCrash()) {
            LOG.debug("pool {}: {} ended: {}", options.name(), process, exit.description());
        } else if (state.restartsWorkers()) {
            LOG.warn("pool {}: {} died ({}) after {} ms: {}; {} task(s) in flight{}", options.name(), process,
                    exit.cause(), exit.uptimeMillis(), exit.description(), exit.orphans().size(),
                    exit.outputTail().isEmpty() ? "" : "; last output:\n" + exit.outputTail());
        }
        settleOrphans(exit); // after the death is logged, so the retries it logs read in order
        WorkerSlot slot = process.slot;
        if (state.restartsWorkers() && slot.process == process) {
            scheduleRestart(slot, exit.diedBeforeReady(), exit.served() > 0, exit.readyForNanos(), exit);
        }
    }

    /**
     * Decides each in-flight task's fate, keeping their order: the running one (the first) used
     * up an attempt if the worker crashed; tasks it had received but not started are re-queued
     * free, at the head of the queue.
     */
    private void settleOrphans(WorkerExit exit) {
        List<TaskRecord> requeue = new ArrayList<>();
        boolean running = true;
        for (TaskRecord task : exit.orphans()) {
            boolean wasRunning = running;
            running = false;
            if (task.future.isDone()) {
                continue;
            }
            if (!state.restartsWorkers() && state != PoolState.STARTING) {
                abandon(task);
            } else if (wasRunning && exit.cause().isCrash()) {
                WorkerCrashedException crash = new WorkerCrashedException(new io.forkpool.CrashReport(task.id,
                        task.type.name(), task.attempt, exit.process().slot.id, exit.process().pid, exit.cause(),
                        exit.exitCode(), exit.description(), exit.uptimeMillis(), exit.served(), exit.outputTail()));
                if (task.crashes.size() + 1 >= task.maxAttempts) {
                    task.crashes.add(crash);
                    LOG.warn("pool {}: {} failed: its worker died on each of its {} attempt(s)", options.name(), task,
                            task.maxAttempts);
                    task.future.completeExceptionally(task.maxAttempts == 1 ? crash
                            : new PoisonTaskException(task.id, task.type.name(), task.crashes));
                } else {
                    requeue.addAll(retryAlone(task, crash));
                }
            } else {
                requeue.add(task);
            }
        }
        if (!requeue.isEmpty()) {
            requeue(requeue);
        }
    }

    /**
     * The tasks that retry a crashed one with its next attempt: the task itself, and, if it was a
     * chunk of a batch, each of its other inputs on its own, so that one poisonous input is told
     * apart from its neighbours. Each carries the crash.
     */
    private List<TaskRecord> retryAlone(TaskRecord task, WorkerCrashedException crash) {
        task.crashes.add(crash);
        task.attempt++;
        List<TaskRecord> retries = new ArrayList<>(task.size());
        retries.add(task);
        if (task.isChunk()) {
            synchronized (task) { // against its completion, which counts its size (TaskFuture)
                if (task.future.isSettled()) {
                    return List.of(); // cancelled meanwhile, counted whole: nothing to retry
                }
                outstanding.addAndGet(task.size() - 1); // before they exist: their completions count them out
                for (int i = task.from + 1; i < task.to; i++) {
                    TaskRecord alone = newSpan(task.batch, i, i + 1);
                    alone.crashes.addAll(task.crashes);
                    alone.attempt = task.attempt;
                    retries.add(alone);
                }
                task.to = task.from + 1;
            }
        }
        counters.retried(retries.size());
        LOG.warn("pool {}: retrying {} (attempt {} of {}{})", options.name(), task, task.attempt, task.maxAttempts,
                retries.size() > 1 ? ", and " + (retries.size() - 1) + " more inputs of its chunk one by one" : "");
        return retries;
    }

    /** Puts tasks back at the head of the queue, in their order; abandons them if the pool has just failed. */
    private void requeue(List<TaskRecord> tasks) {
        for (int i = tasks.size() - 1; i >= 0; i--) {
            queue.addFirst(tasks.get(i));
        }
        abandonIfStopped(tasks);
    }

    private void scheduleRestart(WorkerSlot slot, boolean startupFailure) {
        scheduleRestart(slot, startupFailure, false, 0, null);
    }

    private void scheduleRestart(WorkerSlot slot, boolean diedBeforeReady, boolean answeredTasks,
            long readyForNanos, WorkerExit exit) {
        long delay = restartPolicy.onDeath(slot, diedBeforeReady, answeredTasks, readyForNanos, System.nanoTime());
        if (delay < 0) {
            String last = exit == null ? "" : "; last: " + exit.process() + " " + exit.description()
                    + (exit.outputTail().isEmpty() ? "" : "; its output:\n" + exit.outputTail());
            fail(restartPolicy.failureReason() + last);
            return;
        }
        LOG.info("pool {}: restarting worker {} in {} ms", options.name(), slot.id, delay);
        supervisor.schedule(() -> respawn(slot), delay, TimeUnit.MILLISECONDS);
    }

    /** Crash loop: stop intake, fail what is queued, stop the workers. Supervisor thread. */
    private void fail(String why) {
        synchronized (lifecycle) {
            if (!state.restartsWorkers()) {
                return;
            }
            failure = new PoolFailedException("pool " + options.name() + " failed: " + why);
            state = PoolState.FAILED;
            lifecycle.notifyAll();
        }
        LOG.error("{}", failure.getMessage());
        sweepQueue();
        for (WorkerProcess process : live) {
            process.stop(ExitCause.STOPPED, "pool failed");
        }
    }

    private void sweepQueue() {
        TaskRecord task;
        while ((task = queue.pollFirst()) != null) {
            abandon(task);
        }
    }

    // ---- closing -------------------------------------------------------------------------------

    @Override
    public void close() {
        shutdown(false);
    }

    @Override
    public void closeNow() {
        shutdown(true);
    }

    private void shutdown(boolean now) {
        boolean closer;
        synchronized (lifecycle) {
            if (state == PoolState.RUNNING || state == PoolState.STARTING) {
                state = now ? PoolState.STOPPING : PoolState.CLOSING;
            }
            if (now) {
                abortDrain = true;
                lifecycle.notifyAll();
            }
            closer = !closerClaimed;
            closerClaimed = true;
        }
        if (!closer) {
            terminated.join();
            return;
        }
        try {
            if (state == PoolState.CLOSING) {
                awaitDrained(System.nanoTime() + options.closeTimeout().toNanos());
            }
            synchronized (lifecycle) {
                state = PoolState.STOPPING;
            }
            pending.close();
            sweepQueue();
            stopWorkers();
            sweepQueue(); // whatever a sender put back while dying
            supervisor.shutdownNow();
            launcher.close();
        } finally {
            synchronized (lifecycle) {
                state = PoolState.TERMINATED;
            }
            ShutdownHook.deregister(this);
            mbean.close(); // before terminated: close() returns with the MBean gone
            terminated.complete(null);
            LOG.info("pool {} closed", options.name());
        }
    }

    private void awaitDrained(long deadlineNanos) {
        synchronized (lifecycle) {
            while (outstanding.get() > 0 && !abortDrain && state == PoolState.CLOSING) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("pool {}: close timeout {} expired with {} task(s) unfinished; cancelling them",
                            options.name(), options.closeTimeout(), outstanding.get());
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lifecycle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Stops every live worker, then waits until the supervisor thread has handled each exit: that
     * is what completes the tasks they held. Waiting for the process alone is not enough: the
     * handler is queued by the process's exit, and closing shuts the supervisor down next.
     */
    private void stopWorkers() {
        List<WorkerProcess> processes = new ArrayList<>(live);
        processes.forEach(p -> p.stop(ExitCause.STOPPED, "stopped by the pool"));
        ProcessTrees.escalate(processes.stream().map(p -> p.process).toList());
        for (WorkerProcess process : processes) {
            awaitQuietly(process.process.onExit());
            process.joinThreads(1_000);
            awaitQuietly(process.exitHandled);
        }
    }

    // ---- stats and accessors -------------------------------------------------------------------

    @Override
    public PoolStats stats() {
        return counters.snapshot(options.name(), slots, queue.inputs());
    }

    /** A new worker process's latency recorder; {@code null} if the pool records none. */
    LatencyRecorder latencyRecorder() {
        return counters.newRecorder();
    }

    PoolOptions options() {
        return options;
    }

    String name() {
        return options.name();
    }

    TaskQueue queue() {
        return queue;
    }

    ScheduledExecutorService supervisor() {
        return supervisor;
    }

    @Override
    public String toString() {
        return "ProcessPool[" + options.name() + ", " + state + ", " + slots.length + " workers]";
    }
}
