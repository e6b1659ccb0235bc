package io.forkpool.runtime.internal.observe;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Shows a pool's {@link PoolStats} through {@link WorkerPoolMXBean}.
 *
 * <p>Every getter takes a fresh snapshot and nothing is cached, so an attribute is never older
 * than its read and a read right after tasks completed sees them. The price is one
 * {@code stats()} per attribute, on the JMX client's thread; {@code stats()} is safe on any
 * thread and never makes the pool's own threads wait. Attributes read one after another may
 * come from snapshots a few tasks apart, as the counters within one snapshot already may.
 */
final class PoolStatsView implements WorkerPoolMXBean {

    private final Supplier<PoolStats> stats;

    PoolStatsView(Supplier<PoolStats> stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    @Override
    public String getName() {
        return stats.get().name();
    }

    @Override
    public long getSubmitted() {
        return stats.get().submitted();
    }

    @Override
    public long getSucceeded() {
        return stats.get().succeeded();
    }

    @Override
    public long getFailed() {
        return stats.get().failed();
    }

    @Override
    public long getTimedOut() {
        return stats.get().timedOut();
    }

    @Override
    public long getCancelled() {
        return stats.get().cancelled();
    }

    @Override
    public long getCompleted() {
        return stats.get().completed();
    }

    @Override
    public long getRetried() {
        return stats.get().retried();
    }

    @Override
    public long getCrashes() {
        return stats.get().crashes();
    }

    @Override
    public long getWorkerRestarts() {
        return stats.get().workerRestarts();
    }

    @Override
    public long getQueued() {
        return stats.get().queued();
    }

    @Override
    public int getWorkersAlive() {
        return stats.get().workersAlive();
    }

    @Override
    public int getSparesReady() {
        return stats.get().sparesReady();
    }

    @Override
    public Map<String, Long> getWorkerExits() {
        Map<String, Long> exits = new LinkedHashMap<>();
        for (Map.Entry<ExitCause, Long> exit : stats.get().workerExits().entrySet()) {
            exits.put(exit.getKey().name(), exit.getValue());
        }
        return exits;
    }

    @Override
    public List<Worker> getWorkers() {
        List<WorkerStats> workers = stats.get().workers();
        List<Worker> view = new ArrayList<>(workers.size());
        for (WorkerStats worker : workers) {
            view.add(Worker.of(worker));
        }
        return view;
    }

    @Override
    public LatencyStats getQueueWait() {
        return stats.get().queueWait();
    }

    @Override
    public LatencyStats getExecution() {
        return stats.get().execution();
    }

    @Override
    public LatencyStats getRoundTrip() {
        return stats.get().roundTrip();
    }
}
