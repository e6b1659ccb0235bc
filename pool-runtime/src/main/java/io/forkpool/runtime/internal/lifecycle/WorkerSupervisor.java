package io.forkpool.runtime.internal.lifecycle;

import io.forkpool.CrashReport;
import io.forkpool.ExitCause;
import io.forkpool.PoolStartupException;
import io.forkpool.WorkerCrashedException;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.internal.exec.Scheduler;
import io.forkpool.runtime.internal.ledger.TaskLedger;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import io.forkpool.runtime.internal.observe.PoolCounters;
import io.forkpool.runtime.internal.worker.DriverConfig;
import io.forkpool.runtime.internal.worker.WorkerDriver;
import io.forkpool.runtime.internal.worker.WorkerState;
import io.forkpool.runtime.internal.worker.WorkerExit;
import io.forkpool.runtime.internal.worker.WorkerListener;
import io.forkpool.runtime.internal.worker.WorkerSpawner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the pool's workers running: owns the slots, spawns a driver per worker, hears what the
 * drivers report ({@link WorkerListener}), settles a dead worker's tasks through the
 * {@link TaskLedger}, restarts workers by the {@link RestartPolicy}, and fails the pool when they
 * cannot be kept running. Exit handling and restarts run on the supervisor thread
 * ({@link Scheduler}); nothing there blocks.
 */
public final class WorkerSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");

    private final String poolName;
    private final DriverConfig config;
    private final Scheduler scheduler;
    private final WorkerSpawner spawner;
    private final TaskLedger ledger;
    private final PoolLifecycle lifecycle;
    private final PoolCounters counters;
    private final RestartPolicy restartPolicy;
    private final WorkerSlot[] slots;
    /** Every driver whose exit has not been reported, retiring ones included. */
    private final Set<WorkerDriver> live = ConcurrentHashMap.newKeySet();
    /** Each live driver's readiness: completes at its hello, or exceptionally if it died before. */
    private final ConcurrentHashMap<WorkerDriver, CompletableFuture<Void>> readiness = new ConcurrentHashMap<>();
    /** Held to spawn, and to take the list of drivers to stop: no spawn slips past a stop. */
    private final Object spawnLock = new Object();
    private final WorkerListener events = new Events();

    /**
     * @param workers how many slots
     * @param maxRestarts restarts tolerated within {@code restartWindow}
     * @param restartWindow the sliding window for {@code maxRestarts}
     * @param config the drivers' settings
     * @param scheduler the supervisor thread
     * @param spawner starts worker processes
     * @param ledger the pool's tasks
     * @param lifecycle the pool's state
     * @param counters where exits are counted
     */
    public WorkerSupervisor(int workers, int maxRestarts, Duration restartWindow, DriverConfig config,
            Scheduler scheduler, WorkerSpawner spawner, TaskLedger ledger, PoolLifecycle lifecycle,
            PoolCounters counters) {
        this.poolName = config.poolName();
        this.config = config;
        this.scheduler = scheduler;
        this.spawner = spawner;
        this.ledger = ledger;
        this.lifecycle = lifecycle;
        this.counters = counters;
        this.restartPolicy = new RestartPolicy(maxRestarts, restartWindow);
        this.slots = new WorkerSlot[workers];
        for (int i = 0; i < workers; i++) {
            slots[i] = new WorkerSlot(i);
        }
    }

    // ---- starting ------------------------------------------------------------------------------

    /**
     * How many workers start at once: starting a JVM is CPU-bound, so more at once than the machine
     * has CPUs only makes each of them slower, until none says hello within the start-up timeout.
     * At least two, so that a pool of two always starts in parallel.
     *
     * @param workers the pool's size
     * @return how many of them may be starting at the same time
     */
    public static int concurrentStarts(int workers) {
        return Math.min(workers, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Starts the first workers: {@link #concurrentStarts} of them now, and each of the others as
     * soon as an earlier one is ready, so that every start-up timeout counts from its own worker's
     * launch; once one fails, no more are started. Does not wait for any.
     *
     * @return each slot's first worker's readiness, in slot order
     * @throws PoolStartupException if one of those started now cannot be started; those started
     *     are left to {@link #stopAll}
     */
    public List<CompletableFuture<Void>> startAll() {
        int atOnce = concurrentStarts(slots.length);
        List<CompletableFuture<Void>> ready = new ArrayList<>(slots.length);
        synchronized (spawnLock) {
            for (int i = 0; i < atOnce; i++) {
                try {
                    ready.add(readiness.get(spawn(slots[i])));
                } catch (IOException | RuntimeException e) {
                    throw cannotStart(slots[i], e);
                }
            }
        }
        for (int i = atOnce; i < slots.length; i++) {
            WorkerSlot slot = slots[i];
            CompletableFuture<Void> started = new CompletableFuture<>();
            ready.get(i - atOnce).whenComplete((ok, failed) -> {
                if (failed == null) {
                    execute(() -> startLater(slot, started));
                } else { // the start fails with that earlier worker: start no more
                    started.completeExceptionally(new PoolStartupException("start-up was given up", failed));
                }
            });
            ready.add(started);
        }
        return ready;
    }

    /** Starts a slot's first worker, its turn come, unless the start was given up. Supervisor thread. */
    private void startLater(WorkerSlot slot, CompletableFuture<Void> started) {
        synchronized (spawnLock) {
            if (lifecycle.state() != PoolState.STARTING) {
                started.completeExceptionally(new PoolStartupException("start-up was given up", null));
                return;
            }
            try {
                readiness.get(spawn(slot)).whenComplete((ok, failed) -> {
                    if (failed == null) {
                        started.complete(null);
                    } else {
                        started.completeExceptionally(failed);
                    }
                });
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(cannotStart(slot, e));
            }
        }
    }

    private PoolStartupException cannotStart(WorkerSlot slot, Exception e) {
        return new PoolStartupException("cannot start worker " + slot.id + ": cannot run " + spawner.program()
                + ": " + e.getMessage(), e);
    }

    /**
     * Waits until every first worker said hello. Each worker's own start-up timeout, counted from
     * its launch, ends a worker that does not; this wait is bounded as well, by as many timeouts
     * as there are rounds of {@link #concurrentStarts}, plus one.
     *
     * @throws PoolStartupException if one died first or did not say hello in time (then it is killed)
     * @param ready the readiness of each first worker, from {@link #startAll}
     * @param startupTimeout the pool's start-up timeout
     */
    public void awaitReady(List<CompletableFuture<Void>> ready, Duration startupTimeout) {
        int rounds = (slots.length + concurrentStarts(slots.length) - 1) / concurrentStarts(slots.length);
        long deadlineNanos = System.nanoTime() + startupTimeout.toNanos() * (rounds + 1);
        for (int i = 0; i < ready.size(); i++) {
            try {
                ready.get(i).get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw (RuntimeException) e.getCause();
            } catch (TimeoutException e) {
                WorkerDriver driver = slots[i].driver;
                String who = driver == null ? "worker " + i : driver.toString();
                if (driver != null) {
                    driver.kill(ExitCause.STARTUP_FAILURE, "did not say hello within " + startupTimeout);
                }
                throw new PoolStartupException(who + " did not say hello within " + startupTimeout, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PoolStartupException("interrupted while starting workers", e);
            }
        }
    }

    /** Spawns a driver into a slot and starts it. Under the spawn lock. */
    private WorkerDriver spawn(WorkerSlot slot) throws IOException {
        int incarnation = slot.incarnations + 1;
        var link = spawner.spawn(slot.id, incarnation);
        slot.incarnations = incarnation;
        WorkerDriver driver = new WorkerDriver(slot.id, incarnation, link, config, scheduler, ledger, events,
                counters::newRecorder, slot.inputsAnswered::add);
        readiness.put(driver, new CompletableFuture<>());
        slot.driver = driver;
        live.add(driver);
        driver.start();
        return driver;
    }

    /** Spawns a slot's replacement unless the pool no longer runs tasks. Supervisor thread. */
    private void respawn(WorkerSlot slot) {
        synchronized (spawnLock) {
            if (!lifecycle.state().runsTasks()) {
                return;
            }
            try {
                spawn(slot);
            } catch (IOException | RuntimeException e) {
                LOG.error("pool {}: cannot start a replacement for worker {}: {}", poolName, slot.id, e.getMessage());
                scheduleRestart(slot, true, false, 0, null);
            }
        }
    }

    // ---- what the drivers report ---------------------------------------------------------------

    /** The drivers' reports: counted at once, acted on by the supervisor thread. */
    private final class Events implements WorkerListener {
        @Override
        public void ready(WorkerDriver driver) {
            restartPolicy.onReady();
            CompletableFuture<Void> ready = readiness.get(driver);
            if (ready != null) {
                ready.complete(null);
            }
        }

        @Override
        public void retiring(WorkerDriver driver) {
            WorkerSlot slot = slots[driver.slot()];
            execute(() -> {
                if (slot.driver == driver) {
                    respawn(slot);
                }
            });
        }

        @Override
        public void exited(WorkerExit exit) {
            // Counted before the driver shows DEAD: a stats snapshot that sees it dead sees it counted.
            counters.exited(exit.cause());
            slots[exit.driver().slot()].lastExitCause = exit.cause();
            CompletableFuture<Void> ready = readiness.remove(exit.driver());
            if (ready != null && exit.diedBeforeReady()) {
                ready.completeExceptionally(new PoolStartupException(exit.driver() + " " + exit.description()
                        + " before it said hello, after " + exit.uptimeMillis() + " ms"
                        + (exit.outputTail().isEmpty() ? "; it wrote no output" : "; its output:\n" + exit.outputTail()),
                        null));
            }
            execute(() -> onExit(exit));
        }
    }

    private void execute(Runnable action) {
        try {
            scheduler.execute(action);
        } catch (RejectedExecutionException e) {
            // the pool is terminated: nothing is left to decide
        }
    }

    /** A worker's exit: log it, settle its tasks, decide its restart. Supervisor thread. */
    private void onExit(WorkerExit exit) {
        WorkerDriver driver = exit.driver();
        live.remove(driver);
        PoolState state = lifecycle.state();
        if (exit.cause() == ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL) {
            LOG.warn("pool {}: {} killed after {} ms: {}; {} task(s) in flight", poolName, driver,
                    exit.uptimeMillis(), exit.description(), exit.orphans().size());
        } else if (!exit.cause().isCrash()) {
            LOG.debug("pool {}: {} ended: {}", poolName, driver, exit.description());
        } else if (state.runsTasks()) {
            LOG.warn("pool {}: {} died ({}) after {} ms: {}; {} task(s) in flight{}", poolName, driver,
                    exit.cause(), exit.uptimeMillis(), exit.description(), exit.orphans().size(),
                    exit.outputTail().isEmpty() ? "" : "; last output:\n" + exit.outputTail());
        }
        // After the death is logged, so the retries it logs read in order.
        ledger.settle(exit.orphans(), exit.cause().isCrash() ? crashReport(exit) : null,
                state.runsTasks() || state == PoolState.STARTING);
        WorkerSlot slot = slots[driver.slot()];
        if (state.runsTasks() && slot.driver == driver) {
            scheduleRestart(slot, exit.diedBeforeReady(), exit.served() > 0, exit.readyForNanos(), exit);
        }
    }

    private static Function<TaskRecord, WorkerCrashedException> crashReport(WorkerExit exit) {
        return task -> new WorkerCrashedException(new CrashReport(task.id, task.type.name(), task.attempt,
                exit.driver().slot(), exit.driver().pid(), exit.cause(), exit.exitCode(), exit.description(),
                exit.uptimeMillis(), exit.served(), exit.outputTail()));
    }

    private void scheduleRestart(WorkerSlot slot, boolean diedBeforeReady, boolean answeredTasks, long readyForNanos,
            WorkerExit exit) {
        long delay = restartPolicy.onDeath(slot, diedBeforeReady, exit != null && exit.killedFromOutside(),
                answeredTasks, readyForNanos, scheduler.nanoTime());
        if (delay < 0) {
            String last = exit == null ? "" : "; last: " + exit.driver() + " " + exit.description()
                    + (exit.outputTail().isEmpty() ? "" : "; its output:\n" + exit.outputTail());
            fail(restartPolicy.failureReason() + last);
            return;
        }
        LOG.info("pool {}: restarting worker {} in {} ms", poolName, slot.id, delay);
        scheduler.schedule(() -> respawn(slot), TimeUnit.MILLISECONDS.toNanos(delay));
    }

    /** Crash loop: stop intake, fail what is queued, stop the workers. Supervisor thread. */
    private void fail(String why) {
        var failure = lifecycle.fail(why);
        if (failure == null) {
            return;
        }
        LOG.error("{}", failure.getMessage());
        ledger.wakeDrainWaiters();
        ledger.abandonQueued();
        stopAll("pool failed");
    }

    // ---- stopping ------------------------------------------------------------------------------

    /**
     * Stops every live worker; each stop ends in a SIGKILL if need be. Never blocks.
     *
     * @param reason why, for the exit reports
     * @return the drivers being stopped
     */
    public List<WorkerDriver> stopAll(String reason) {
        List<WorkerDriver> stopping;
        synchronized (spawnLock) {
            stopping = new ArrayList<>(live);
        }
        for (WorkerDriver driver : stopping) {
            driver.stop(ExitCause.STOPPED, reason);
        }
        return stopping;
    }

    /**
     * Waits until each driver's exit has been reported and handled by the supervisor thread (which
     * is what completes the tasks it held), or the time is up.
     *
     * @return whether every one was
     * @param drivers the drivers to wait for
     * @param timeoutNanos the longest to wait, in total
     */
    public boolean awaitExits(List<WorkerDriver> drivers, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            for (WorkerDriver driver : drivers) {
                driver.exited().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            // Each exit handler was handed to the supervisor thread before its driver's exited()
            // completed: once this barrier runs, they all have.
            CompletableFuture<Void> barrier = new CompletableFuture<>();
            scheduler.execute(() -> barrier.complete(null));
            barrier.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return false;
        }
    }

    // ---- figures -------------------------------------------------------------------------------

    /** @return each slot's figures, read before the counters (see {@link PoolCounters#snapshot}) */
    public List<WorkerStats> workerStats() {
        long now = scheduler.nanoTime();
        List<WorkerStats> workers = new ArrayList<>(slots.length);
        for (WorkerSlot slot : slots) {
            workers.add(slot.stats(now));
        }
        return workers;
    }

    /** @return worker restarts so far, over every slot */
    public long restarts() {
        long restarts = 0;
        for (WorkerSlot slot : slots) {
            restarts += slot.restarts();
        }
        return restarts;
    }

    /** @return how many workers are alive now */
    public int workersAlive() {
        int alive = 0;
        for (WorkerSlot slot : slots) {
            WorkerDriver driver = slot.driver;
            if (driver != null && driver.state() != WorkerState.DEAD) {
                alive++;
            }
        }
        return alive;
    }
}
