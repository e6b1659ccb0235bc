package io.forkpool.runtime.internal.lifecycle;

import io.forkpool.runtime.internal.exec.Scheduler;
import io.forkpool.runtime.internal.ledger.TaskLedger;
import io.forkpool.runtime.internal.observe.LogFallback;
import io.forkpool.runtime.internal.observe.PoolCounters;
import io.forkpool.runtime.internal.observe.PoolMBeanLifecycle;
import io.forkpool.runtime.internal.worker.DriverConfig;
import io.forkpool.runtime.internal.worker.WorkerDriver;
import io.forkpool.runtime.internal.worker.WorkerSpawner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a pool, and always finishes: {@code close()} lets what was taken run for up to the close
 * timeout, then both closes cancel what is left and stop every worker, whose stop ends in a
 * SIGKILL ({@link WorkerDriver#stop}); the wait for their exits is bounded too. The first caller
 * closes; later callers, and {@code closeNow()} during a {@code close()}, wait for it. The JVM's
 * shutdown hook closes a pool never closed with {@link #shutdownAtExit} ({@link ShutdownHook}),
 * which says what that cancelled.
 */
public final class PoolShutdown {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");
    /** Past the stop escalation's two grace periods, what a killed worker may take to be reported. */
    private static final long EXIT_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String poolName;
    private final Duration closeTimeout;
    private final long stopGraceNanos;
    private final PoolLifecycle lifecycle;
    private final TaskLedger ledger;
    private final WorkerSupervisor supervisor;
    private final Scheduler scheduler;
    private final WorkerSpawner spawner;
    private final PoolMBeanLifecycle mbean;
    private final PoolCounters counters;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** Set by closeNow() to end a graceful close's wait for its tasks. */
    private volatile boolean abortDrain;

    /**
     * @param poolName for messages
     * @param closeTimeout how long {@code close()} waits for tasks
     * @param config the drivers' settings, for the stop escalation's grace periods
     * @param lifecycle the pool's state
     * @param ledger the pool's tasks
     * @param supervisor the pool's workers
     * @param scheduler the supervisor thread, shut down last
     * @param spawner released last
     * @param mbean unregistered last
     * @param counters the pool's counters, to tell what a close at JVM exit cancelled
     */
    public PoolShutdown(String poolName, Duration closeTimeout, DriverConfig config, PoolLifecycle lifecycle,
            TaskLedger ledger, WorkerSupervisor supervisor, Scheduler scheduler, WorkerSpawner spawner,
            PoolMBeanLifecycle mbean, PoolCounters counters) {
        this.poolName = poolName;
        this.closeTimeout = closeTimeout;
        this.stopGraceNanos = config.stopGraceNanos();
        this.lifecycle = lifecycle;
        this.ledger = ledger;
        this.supervisor = supervisor;
        this.scheduler = scheduler;
        this.spawner = spawner;
        this.mbean = mbean;
        this.counters = counters;
    }

    /**
     * What closing a pool at JVM exit cancelled.
     *
     * @param queued inputs still waiting for a worker
     * @param cancelled inputs cancelled in all: the queued ones and those sent to workers
     */
    public record AtExit(long queued, long cancelled) {
    }

    /**
     * Closes a pool its application never closed, as the JVM exits: at once, since the JVM will
     * not wait. Queued and running tasks are cancelled, not run; if there were any, a WARN says
     * how many (on standard error when SLF4J has no provider, as a worker's output goes).
     *
     * @return what was cancelled
     */
    public AtExit shutdownAtExit() {
        long queued = ledger.queuedInputs();
        long before = counters.cancelled();
        shutdown(true);
        AtExit dropped = new AtExit(queued, Math.max(0, counters.cancelled() - before));
        if (dropped.cancelled() > 0) {
            String warning = atExitWarning(poolName, dropped);
            if (LogFallback.TO_STDERR) {
                System.err.println("[forkpool] WARN " + warning);
            } else {
                LOG.warn(warning);
            }
        }
        return dropped;
    }

    /**
     * @param poolName the pool
     * @param dropped what closing it at JVM exit cancelled
     * @return the warning that says so
     */
    static String atExitWarning(String poolName, AtExit dropped) {
        long queued = Math.min(dropped.queued(), dropped.cancelled());
        return "pool " + poolName + " was not closed before the JVM exited: cancelled " + dropped.cancelled()
                + " task(s) (" + queued + " queued, " + (dropped.cancelled() - queued)
                + " sent to workers) instead of running them; close the pool (try-with-resources) to let them finish";
    }

    /**
     * Closes the pool; returns once it is terminated.
     *
     * @param now whether to cancel what was taken at once ({@code closeNow()}) rather than let it finish
     */
    public void shutdown(boolean now) {
        boolean closer;
        synchronized (this) {
            if (now || !lifecycle.advance(PoolState.CLOSING)) {
                lifecycle.advance(PoolState.STOPPING);
            }
            if (now) {
                abortDrain = true;
                ledger.wakeDrainWaiters();
            }
            closer = lifecycle.claimClose();
        }
        if (!closer) {
            terminated.join();
            return;
        }
        try {
            if (lifecycle.state() == PoolState.CLOSING && !ledger.awaitDrained(
                    System.nanoTime() + closeTimeout.toNanos(),
                    () -> abortDrain || lifecycle.state() != PoolState.CLOSING) && !abortDrain
                    && lifecycle.state() == PoolState.CLOSING) {
                LOG.warn("pool {}: close timeout {} expired with {} task(s) unfinished; cancelling them", poolName,
                        closeTimeout, ledger.outstanding());
            }
            lifecycle.advance(PoolState.STOPPING);
            ledger.closeIntake();
            ledger.abandonQueued();
            List<WorkerDriver> stopping = supervisor.stopAll("stopped by the pool");
            if (!supervisor.awaitExits(stopping, 2 * stopGraceNanos + EXIT_MARGIN_NANOS)) {
                LOG.warn("pool {}: not every worker's exit was reported in time; closing anyway", poolName);
            }
            ledger.abandonQueued(); // whatever a sender put back while its worker died
        } finally {
            scheduler.shutdown();
            spawner.close();
            lifecycle.advance(PoolState.TERMINATED);
            ShutdownHook.deregister(this);
            mbean.close(); // before terminated: close() returns with the MBean gone
            terminated.complete(null);
            LOG.info("pool {} closed", poolName);
        }
    }
}
