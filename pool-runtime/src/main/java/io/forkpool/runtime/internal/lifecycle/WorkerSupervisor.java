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
    private final Replacements replacements;
    private final FirstStart firstStart;
    /** Every driver whose exit has not been reported, retiring ones included. */
    private final Set<WorkerDriver> live = ConcurrentHashMap.newKeySet();
    /** Each live driver's readiness: completes at its hello, or exceptionally if it died before. */
    private final ConcurrentHashMap<WorkerDriver, CompletableFuture<Void>> readiness = new ConcurrentHashMap<>();
    /** Held to spawn, and to take the list of drivers to stop: no spawn slips past a stop. */
    private final Object spawnLock = new Object();
    private final WorkerListener events = new Events();

    /**
     * @param workers how many slots
     * @param spareCount how many warm spares to keep booted beside them
     * @param maxRestarts restarts tolerated within {@code restartWindow}
     * @param restartWindow the sliding window for {@code maxRestarts}
     * @param config the drivers' settings
     * @param scheduler the supervisor thread
     * @param spawner starts worker processes
     * @param ledger the pool's tasks
     * @param lifecycle the pool's state
     * @param counters where exits are counted
     */
    public WorkerSupervisor(int workers, int spareCount, int maxRestarts, Duration restartWindow, DriverConfig config,
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
            slots[i] = new WorkerSlot(i, false);
        }
        this.replacements = new Replacements(poolName, slots, spareCount, scheduler, spawnLock, new Host());
        this.firstStart = new FirstStart(slots, this::launchFirst, this::execute, spawner.program());
    }

    // ---- starting ------------------------------------------------------------------------------

    /**
     * Starts the first workers, {@link FirstStart#concurrentStarts} at a time. Does not wait for any.
     *
     * @return each slot's first worker's readiness, in slot order
     * @throws PoolStartupException if one of those started at once cannot be started; those
     *     started are left to {@link #stopAll}
     */
    public List<CompletableFuture<Void>> startAll() {
        return firstStart.startAll();
    }

    /**
     * Waits until every first worker said hello, bounded (see {@link FirstStart}).
     *
     * @param ready the readiness of each first worker, from {@link #startAll}
     * @param startupTimeout the pool's start-up timeout
     * @throws PoolStartupException if one died first or did not say hello in time (then it is killed)
     */
    public void awaitReady(List<CompletableFuture<Void>> ready, Duration startupTimeout) {
        firstStart.awaitReady(ready, startupTimeout);
    }

    /** Launches a slot's first worker, unless a stop came first. */
    private CompletableFuture<Void> launchFirst(WorkerSlot slot) throws IOException {
        synchronized (spawnLock) {
            if (lifecycle.state() != PoolState.STARTING) {
                throw new PoolStartupException("start-up was given up", null);
            }
            return readiness.get(spawn(slot));
        }
    }

    /** Boots the warm spares, once the pool runs, so that they never slow its first workers. */
    public void startSpares() {
        replacements.startSpares();
    }

    /** What {@link Replacements} needs of the supervisor. */
    private final class Host implements Replacements.Supervisor {
        @Override
        public void spawn(WorkerSlot position) throws IOException {
            WorkerSupervisor.this.spawn(position);
        }

        @Override
        public boolean isLive(WorkerDriver driver) {
            return live.contains(driver);
        }

        @Override
        public boolean runsTasks() {
            return lifecycle.state().runsTasks();
        }

        @Override
        public void spawnFailed(WorkerSlot position) {
            scheduleRestart(position, true, false, 0, null);
        }

        @Override
        public void execute(Runnable action) {
            WorkerSupervisor.this.execute(action);
        }
    }

    /** Spawns a driver into a slot and starts it. Under the spawn lock. */
    private WorkerDriver spawn(WorkerSlot slot) throws IOException {
        int incarnation = slot.incarnations + 1;
        var link = spawner.spawn(slot.id, incarnation);
        slot.incarnations = incarnation;
        WorkerDriver driver = new WorkerDriver(slot.id, incarnation, link, config, scheduler, ledger, events,
                counters::newRecorder, slot.inputsAnswered::add, slot.spare);
        readiness.put(driver, new CompletableFuture<>());
        slot.driver = driver;
        live.add(driver);
        driver.start();
        return driver;
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
            if (driver.state() == WorkerState.SPARE) { // its exit, if it comes, is handled after this
                replacements.spareReady(driver);
            }
        }

        @Override
        public void retiring(WorkerDriver driver) {
            WorkerSlot slot = slots[driver.slot()];
            execute(() -> {
                if (slot.driver == driver) {
                    replacements.replace(slot, 0, null);
                }
            });
        }

        @Override
        public void gone(WorkerDriver driver) {
            execute(() -> replacements.placeSpareAtOnce(driver));
        }

        @Override
        public void exited(WorkerExit exit) {
            // A dead spare leaves the idle ones before its exit is counted: a stats snapshot that
            // sees the exit does not count the spare as ready.
            replacements.exited(exit.driver());
            CompletableFuture<Void> ready = readiness.remove(exit.driver());
            if (ready != null && exit.diedBeforeReady()) {
                ready.completeExceptionally(new PoolStartupException(exit.driver() + " " + exit.description()
                        + " before it said hello, after " + exit.uptimeMillis() + " ms"
                        + (exit.outputTail().isEmpty() ? "; it wrote no output" : "; its output:\n" + exit.outputTail())
                        + spawner.startupHint(exit.outputTail()),
                        null));
            }
            execute(() -> onExit(exit));
            // Counted after its handling was handed to the supervisor thread, so that whoever sees
            // the count and then waits for that thread sees the exit handled; and before the driver
            // shows DEAD or its slot shows the cause, so that a stats snapshot that sees either sees
            // it counted.
            counters.exited(exit.cause());
            slotOf(exit.driver()).lastExitCause = exit.cause();
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
            LOG.warn("pool {}: {} killed (up {} ms): {}; {} task(s) in flight", poolName, driver,
                    exit.uptimeMillis(), exit.description(), exit.orphans().size());
        } else if (!exit.cause().isCrash()) {
            LOG.debug("pool {}: {} ended: {}", poolName, driver, exit.description());
        } else if (state.runsTasks()) {
            LOG.warn("pool {}: {} died ({}; up {} ms): {}; {} task(s) in flight{}", poolName, driver,
                    exit.cause(), exit.uptimeMillis(), exit.description(), exit.orphans().size(),
                    exit.outputTail().isEmpty() ? "" : "; last output:\n" + exit.outputTail());
        }
        // After the death is logged, so the retries it logs read in order.
        ledger.settle(exit.orphans(), exit.cause().isCrash() ? crashReport(exit) : null,
                state.runsTasks() || state == PoolState.STARTING);
        WorkerSlot slot = slotOf(driver); // a spare adopted before this reads its new slot
        if (state.runsTasks() && (slot.driver == driver || slot.placedFor == driver)) {
            scheduleRestart(slot, exit.diedBeforeReady(), exit.served() > 0, exit.readyForNanos(), exit);
        }
    }

    private static Function<TaskRecord, WorkerCrashedException> crashReport(WorkerExit exit) {
        return task -> new WorkerCrashedException(new CrashReport(task.id(), task.type.name(), task.attempt,
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
        replacements.replace(slot, delay, exit == null ? null : exit.driver());
    }

    /** @return the slot or spare position the driver serves now (supervisor thread: adoptions are settled) */
    private WorkerSlot slotOf(WorkerDriver driver) {
        return replacements.position(driver.slot());
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

    /** @return how many warm spares have said hello and wait to be put into a slot */
    public int sparesReady() {
        return replacements.sparesReady();
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
