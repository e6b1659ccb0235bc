package io.forkpool.cluster.internal;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.forkpool.ForkPoolException;
import io.forkpool.OutputHandler;
import io.forkpool.PoolFailedException;
import io.forkpool.PoolStartupException;
import io.forkpool.PoolStats;
import io.forkpool.ProgressListener;
import io.forkpool.Task;
import io.forkpool.TaskDataException;
import io.forkpool.TaskFailureReport;
import io.forkpool.TaskFunction;
import io.forkpool.TaskName;
import io.forkpool.TaskOptions;
import io.forkpool.cluster.ClusterPool;
import io.forkpool.cluster.MemberStats;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link ClusterPool}: a Hazelcast client that encodes tasks on the caller's thread, queues
 * them in its {@link Dispatcher}, sends chunks to members' task executors and completes futures
 * from their replies, on Hazelcast's callback threads. Members joining and leaving reach the
 * dispatcher through a membership listener; losing the whole cluster for longer than the connect
 * timeout fails the pool.
 */
public final class ClusterWorkerPool implements ClusterPool, Dispatcher.Transport {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.cluster");

    /** How long after a member leaves its unanswered chunks are settled as lost, if Hazelcast has not failed them. */
    private static final long LEFT_MEMBER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private enum State { RUNNING, CLOSING, CLOSED, FAILED }

    private final ClusterSettings settings;
    private final JsonMapper mapper;
    private final ClusterCounters counters;
    private final Dispatcher dispatcher;
    private final ScheduledThreadPoolExecutor timer;
    private final HazelcastInstance client;
    private final IExecutorService tasks;
    private final IExecutorService control;
    private final String clientId;
    private final ClientTaskTypes types;
    private final Set<Job> outstanding = ConcurrentHashMap.newKeySet();
    private final AtomicLong taskIds = new AtomicLong();
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private volatile PoolFailedException failure;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    /**
     * Connects and waits for a forkpool member.
     *
     * @param settings validated settings
     * @throws PoolStartupException if no forkpool member is reachable within the connect timeout
     */
    public ClusterWorkerPool(ClusterSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.counters = new ClusterCounters(settings.recordLatencies());
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, settings.name() + "-cluster-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.dispatcher = new Dispatcher(settings.name(), counters, this);
        this.mapper = io.forkpool.internal.protocol.Messages.newDataMapper(settings.maxDocumentBytes());
        this.types = new ClientTaskTypes(mapper, settings.maxDocumentBytes());
        var config = HazelcastSettings.client(settings.clusterName(), settings.members(), settings.connectTimeout(),
                settings.name());
        settings.hazelcast().accept(config);
        try {
            this.client = HazelcastClient.newHazelcastClient(config);
        } catch (RuntimeException e) {
            timer.shutdownNow();
            throw new PoolStartupException("pool " + settings.name() + " cannot reach cluster '" + settings.clusterName()
                    + "' through " + settings.members() + " within " + settings.connectTimeout() + ": " + e.getMessage(), e);
        }
        this.clientId = client.getLocalEndpoint().getUuid().toString();
        this.tasks = client.getExecutorService(HazelcastSettings.TASK_EXECUTOR);
        this.control = client.getExecutorService(HazelcastSettings.CONTROL_EXECUTOR);
        client.getCluster().addMembershipListener(new InitialMembershipListener() {
            @Override
            public void init(InitialMembershipEvent event) {
                event.getMembers().forEach(dispatcher::memberAdded);
            }

            @Override
            public void memberAdded(MembershipEvent event) {
                dispatcher.memberAdded(event.getMember());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                dispatcher.memberRemoved(event.getMember(), LEFT_MEMBER_GRACE_NANOS);
            }
        });
        client.getLifecycleService().addLifecycleListener(this::lifecycle);
        if (!dispatcher.hasMembers()) {
            closeNow();
            throw new PoolStartupException("pool " + settings.name() + " reached cluster '" + settings.clusterName()
                    + "' but none of its members runs a forkpool node", null);
        }
        LOG.info("pool {} connected to cluster '{}': {}", settings.name(), settings.clusterName(), members());
    }

    private void lifecycle(LifecycleEvent event) {
        if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_DISCONNECTED && state.get() == State.RUNNING) {
            LOG.warn("pool {} lost every cluster member; reconnecting for up to {}", settings.name(),
                    settings.connectTimeout());
        } else if (event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN && state.get() == State.RUNNING) {
            // Set before the state, so whoever sees FAILED also sees why.
            failure = new PoolFailedException("pool " + settings.name() + " lost cluster '" + settings.clusterName()
                    + "': no member reachable through " + settings.members() + " for " + settings.connectTimeout());
            if (!state.compareAndSet(State.RUNNING, State.FAILED)) {
                return; // closed meanwhile: the client shut down because we asked it to
            }
            LOG.error("{}", failure.getMessage());
            outstanding.forEach(job -> job.fail(failure, false));
            timer.shutdownNow();
            terminated.complete(null);
        }
    }

    // ---- submitting

    @Override
    public <I, O> CompletableFuture<O> submit(Class<? extends Task<I, O>> taskClass, I input, TaskOptions options) {
        return single(types.of(taskClass), input, options);
    }

    @Override
    public <I, O> CompletableFuture<O> submit(TaskFunction<I, O> function, I input, TaskOptions options) {
        return single(types.of(function), input, options);
    }

    @Override
    public <I, O> CompletableFuture<List<O>> submitAll(Class<? extends Task<I, O>> taskClass, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress) {
        return batch(types.of(taskClass), inputs, options, progress, null);
    }

    @Override
    public <I, O> CompletableFuture<List<O>> submitAll(TaskFunction<I, O> function, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress) {
        return batch(types.of(function), inputs, options, progress, null);
    }

    @Override
    public <I, O> CompletableFuture<Void> submitAllStreaming(Class<? extends Task<I, O>> taskClass,
            List<? extends I> inputs, TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler) {
        return batch(types.of(taskClass), inputs, options, progress, Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public <I, O> CompletableFuture<Void> submitAllStreaming(TaskFunction<I, O> function, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler) {
        return batch(types.of(function), inputs, options, progress, Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public <I, O> CompletableFuture<O> submit(TaskName<I, O> task, I input, TaskOptions options) {
        return single(types.of(task), input, options);
    }

    @Override
    public <I, O> CompletableFuture<List<O>> submitAll(TaskName<I, O> task, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress) {
        return batch(types.of(task), inputs, options, progress, null);
    }

    @Override
    public <I, O> CompletableFuture<Void> submitAllStreaming(TaskName<I, O> task, List<? extends I> inputs,
            TaskOptions options, ProgressListener progress, OutputHandler<? super O> handler) {
        return batch(types.of(task), inputs, options, progress, Objects.requireNonNull(handler, "handler"));
    }

    @SuppressWarnings("unchecked") // the outputs are decoded as the task's declared output type
    private <T> CompletableFuture<T> single(ClientTaskType type, Object input, TaskOptions options) {
        byte[][] encoded = {type.encode(input)};
        return (CompletableFuture<T>) (CompletableFuture<?>) start(type, encoded, options, true, null, ProgressListener.NONE);
    }

    @SuppressWarnings("unchecked") // as for single; a handler takes the declared output type
    private <T> CompletableFuture<T> batch(ClientTaskType type, List<?> inputs, TaskOptions options,
            ProgressListener progress, OutputHandler<?> handler) {
        Objects.requireNonNull(progress, "progress");
        return (CompletableFuture<T>) (CompletableFuture<?>) start(type, type.encodeAll(inputs), options, false,
                (OutputHandler<Object>) handler, progress);
    }

    private CompletableFuture<Object> start(ClientTaskType type, byte[][] inputs, TaskOptions options, boolean single,
            OutputHandler<Object> handler, ProgressListener progress) {
        Objects.requireNonNull(options, "options");
        rejectUnlessRunning();
        Duration timeout = options.timeout().orElse(settings.taskTimeout());
        Job job = new Job(taskIds.incrementAndGet(), type, inputs, options.maxAttempts().orElse(settings.maxAttempts()),
                timeout == null ? 0 : Math.max(1, timeout.toMillis()), single, handler, progress, counters);
        if (inputs.length == 0) {
            job.future.complete(handler == null ? List.of() : null);
            return job.future;
        }
        outstanding.add(job);
        job.onCompletion(dispatcher::dropJob, () -> {
            outstanding.remove(job);
            synchronized (outstanding) {
                outstanding.notifyAll();
            }
        });
        if (state.get() != State.RUNNING) { // closed while it was being queued
            job.cancel("pool " + settings.name() + " closed");
            rejectUnlessRunning();
        }
        dispatcher.submit(job);
        return job.future;
    }

    private void rejectUnlessRunning() {
        State now = state.get();
        if (now != State.RUNNING) {
            throw new RejectedExecutionException("pool " + settings.name() + " is " + now.name().toLowerCase(),
                    now == State.FAILED ? failure : null);
        }
    }

    // ---- the transport

    @Override
    public void send(Chunk chunk) {
        Job job = chunk.job;
        RunChunk message = new RunChunk(clientId, chunk.id, job.type.name, job.maxAttempts - chunk.attempt + 1,
                job.timeoutMillis, job.inputs(chunk.from, chunk.to));
        try {
            tasks.submitToMember(message, chunk.member.member, new ExecutionCallback<ChunkReply>() {
                @Override
                public void onResponse(ChunkReply reply) {
                    try {
                        answered(chunk, reply);
                    } catch (RuntimeException | Error e) { // a bug here must not leave the job waiting forever
                        internalError(chunk, e);
                    }
                }

                @Override
                public void onFailure(Throwable t) {
                    if (t instanceof TargetNotMemberException) {
                        dispatcher.notAMember(chunk, t.toString());
                    } else {
                        dispatcher.lost(chunk, t.toString(), true);
                    }
                }
            });
        } catch (RuntimeException e) { // the client is shutting down: the chunk was not sent
            dispatcher.lost(chunk, e.toString(), false);
        }
    }

    private void internalError(Chunk chunk, Throwable error) {
        LOG.error("pool {}: cannot take in the answer to {}", settings.name(), chunk, error);
        chunk.settle();
        if (chunk.job.fail(new ForkPoolException("pool " + settings.name() + " could not take in the answer to "
                + chunk + ": " + error, error), false)) {
            dispatcher.dropJob(chunk.job);
        }
    }

    private void answered(Chunk chunk, ChunkReply reply) {
        Job job = chunk.job;
        FailureReport failure = reply.failure;
        if (failure != null && (failure.kind == FailureReport.Kind.UNAVAILABLE
                || failure.kind == FailureReport.Kind.CANCELLED && !job.isDone())) {
            dispatcher.lost(chunk, "member " + chunk.member.address + " could not run it: " + failure, true);
            return;
        }
        boolean cancelled = failure != null && failure.kind == FailureReport.Kind.CANCELLED; // the job is over
        if (!dispatcher.answered(chunk, reply.workersAlive, !cancelled)) {
            return;
        }
        if (cancelled) {
            dispatcher.pump(); // the member has room again
            return;
        }
        long now = System.nanoTime();
        job.type.measured(chunk.size(), reply.workersAlive, reply.executionNanos);
        counters.answered(chunk.size(), chunk.sentNanos - job.submitNanos, reply.executionNanos / chunk.size(),
                now - job.submitNanos);
        if (failure != null) {
            if (job.fail(failure.toException(job.id, job.type.name, job.single ? -1 : chunk.from,
                    chunk.member.address, job.type.inputType, job.type.outputType), true)) {
                dispatcher.dropJob(job);
            }
        } else {
            deliver(chunk, reply.outputs);
        }
        dispatcher.pump();
    }

    private void deliver(Chunk chunk, List<byte[]> encoded) {
        Job job = chunk.job;
        if (encoded.size() != chunk.size()) {
            job.fail(new ForkPoolException("member " + chunk.member.address + " answered " + chunk + " with "
                    + encoded.size() + " outputs"), false);
            dispatcher.dropJob(job);
            return;
        }
        Object[] outputs = new Object[encoded.size()];
        for (int i = 0; i < outputs.length; i++) {
            try {
                outputs[i] = job.type.decode(encoded.get(i));
            } catch (JacksonException e) {
                TaskDataException undecodable = new TaskDataException(TaskDataException.Direction.OUTPUT,
                        job.type.outputType, new TaskFailureReport(job.id, job.type.name,
                                job.single ? -1 : chunk.from + i, -1, -1, e.getClass().getName(),
                                e.getOriginalMessage(), ""));
                undecodable.initCause(e);
                if (job.fail(undecodable, true)) {
                    dispatcher.dropJob(job);
                }
                return;
            }
        }
        job.deliver(chunk.from, outputs);
    }

    @Override
    public void cancel(MemberState member, long[] chunkIds) {
        try {
            control.executeOnMember(new CancelChunks(clientId, chunkIds), member.member);
        } catch (RuntimeException e) { // the member is gone, or the client is closing: nothing left to cancel
            LOG.debug("pool {}: cannot cancel chunks on {}: {}", settings.name(), member.address, e.toString());
        }
    }

    @Override
    public void later(Runnable task, long nanos) {
        try {
            timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed: nothing is waiting for it
        }
    }

    // ---- observing

    @Override
    public PoolStats stats() {
        return counters.snapshot(settings.name(), dispatcher.queuedInputs());
    }

    @Override
    public List<MemberStats> members() {
        return dispatcher.members();
    }

    // ---- closing

    @Override
    public void close() {
        if (!state.compareAndSet(State.RUNNING, State.CLOSING)) {
            terminated.join();
            return;
        }
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        boolean interrupted = false;
        synchronized (outstanding) {
            while (!outstanding.isEmpty() && deadline - System.nanoTime() > 0) {
                try {
                    outstanding.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
        }
        shutDown();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void closeNow() {
        if (state.compareAndSet(State.RUNNING, State.CLOSING) || state.get() == State.CLOSING) {
            shutDown();
        }
        terminated.join();
    }

    private synchronized void shutDown() {
        if (terminated.isDone()) {
            return;
        }
        for (Job job : outstanding) {
            if (job.cancel("pool " + settings.name() + " closed")) {
                dispatcher.dropJob(job);
            }
        }
        state.set(State.CLOSED);
        client.shutdown(); // members cancel what this client still had running when it disconnects
        timer.shutdownNow();
        LOG.info("pool {} closed", settings.name());
        terminated.complete(null);
    }
}
