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
import java.util.concurrent.ConcurrentLinkedDeque;
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
    /** The longest a spare's position waits for the spare it gave up to answer before it boots a new one. */
    static final long SPARE_REBOOT_CAP_MILLIS = 1_000;

    private final String poolName;
    private final DriverConfig config;
    private final Scheduler scheduler;
    private final WorkerSpawner spawner;
    private final TaskLedger ledger;
    private final PoolLifecycle lifecycle;
    private final PoolCounters counters;
    private final RestartPolicy restartPolicy;
    private final WorkerSlot[] slots;
    /** The warm spares' positions: ids {@code workers ..}; each holds its spare while it boots or waits. */
    private final WorkerSlot[] spares;
    /**
     * Spares that said hello and wait to be adopted, oldest first: added by their io threads,
     * taken by the supervisor thread, counted by stats readers.
     */
    private final ConcurrentLinkedDeque<WorkerDriver> idleSpares = new ConcurrentLinkedDeque<>();
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
        this.spares = new WorkerSlot[spareCount];
        for (int i = 0; i < spareCount; i++) {
            spares[i] = new WorkerSlot(workers + i, true);
        }
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
        for (WorkerSlot position : spares) {
            execute(() -> fill(position));
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

    /**
     * A position's worker is dead (its exit handled) or retiring: an idle spare takes a slot's
     * place at once and its own position boots a new spare after the backoff; with no spare idle,
     * the position's new worker boots after the backoff. So a crash loop boots no faster with
     * spares than without. Supervisor thread.
     */
    private void replace(WorkerSlot slot, long delayMillis, WorkerDriver dead) {
        WorkerSlot emptied;
        synchronized (spawnLock) {
            slot.backoffMillis = delayMillis;
            if (dead != null && slot.placedFor == dead) { // a spare took its place when its process was gone
                emptied = slot.placedFrom;
                slot.placedFor = null;
                slot.placedFrom = null;
            } else {
                emptied = lifecycle.state().runsTasks() && needsWorker(slot) ? adoptSpare(slot) : null;
            }
        }
        if (emptied != null) {
            LOG.info("pool {}: a warm spare serves worker {}; a new spare boots once it has answered", poolName,
                    slot.id);
            refillAfterAdoption(emptied, slot.driver, delayMillis);
        } else {
            if (delayMillis > 0) {
                LOG.info("pool {}: restarting {} {} in {} ms", poolName, slot.spare ? "spare" : "worker", slot.id,
                        delayMillis);
            }
            fillLater(slot, delayMillis);
        }
    }

    /**
     * Boots a new spare into the position a spare left, once the spare it placed has answered (or
     * after {@link #SPARE_REBOOT_CAP_MILLIS}), and not before the backoff: a JVM's start-up takes
     * a CPU or more, and should not slow the first tasks of the worker that just took a dead one's
     * place. {@link #fill} is idempotent, so whichever comes first boots it. Supervisor thread.
     */
    private void refillAfterAdoption(WorkerSlot position, WorkerDriver adopted, long backoffMillis) {
        long adoptedAt = scheduler.nanoTime();
        Runnable boot = () -> fillLater(position,
                Math.max(0, backoffMillis - TimeUnit.NANOSECONDS.toMillis(scheduler.nanoTime() - adoptedAt)));
        adopted.answered().thenRun(() -> execute(boot));
        scheduler.schedule(boot, TimeUnit.MILLISECONDS.toNanos(SPARE_REBOOT_CAP_MILLIS));
    }

    private void fillLater(WorkerSlot slot, long delayMillis) {
        if (delayMillis == 0) {
            fill(slot);
        } else {
            scheduler.schedule(() -> fill(slot), TimeUnit.MILLISECONDS.toNanos(delayMillis));
        }
    }

    /**
     * Boots a worker into the position, unless the pool no longer runs tasks or the position got
     * one meanwhile (a spare took a slot's place). Supervisor thread.
     */
    private void fill(WorkerSlot slot) {
        synchronized (spawnLock) {
            if (!lifecycle.state().runsTasks() || !needsWorker(slot)) {
                return;
            }
            WorkerSlot emptied = adoptSpare(slot);
            if (emptied != null) { // one became idle since the backoff began
                fillLater(emptied, 0);
                return;
            }
            try {
                spawn(slot);
            } catch (IOException | RuntimeException e) {
                LOG.error("pool {}: cannot start {} {}: {}", poolName, slot.spare ? "spare" : "a replacement for worker",
                        slot.id, e.getMessage());
                scheduleRestart(slot, true, false, 0, null);
            }
        }
    }

    /**
     * Whether the position needs a new worker: it never had one, its worker's exit has been
     * handled, or its worker retires (and so stops). Read on the supervisor thread, where exits
     * are handled: a worker that died but whose exit is still to be handled is replaced when it is.
     */
    private boolean needsWorker(WorkerSlot slot) {
        WorkerDriver driver = slot.driver;
        if (driver == null || !live.contains(driver)) {
            return true;
        }
        WorkerState state = driver.state();
        return state == WorkerState.RETIRING || state == WorkerState.STOPPING;
    }

    /**
     * Puts an idle spare into a slot, if one is idle. Under the spawn lock, on the supervisor thread.
     *
     * @return the spare position it left, which needs a new spare; {@code null} if none was put in
     */
    private WorkerSlot adoptSpare(WorkerSlot slot) {
        if (slot.spare) {
            return null;
        }
        WorkerDriver spare;
        while ((spare = idleSpares.pollFirst()) != null) {
            WorkerSlot position = spares[spare.slot() - slots.length];
            if (spare.adopt(slot.id, slot.inputsAnswered::add)) {
                position.driver = null;
                slot.incarnations++;
                slot.driver = spare;
                return position;
            } // stopping or dead: its exit replaces it in its position
        }
        return null;
    }

    /**
     * A spare said hello: it takes the place of any slot whose worker is gone and waits for its
     * backoff; the position it leaves boots a new spare after that slot's backoff. Supervisor thread.
     */
    private void placeIdleSpares() {
        for (WorkerSlot slot : slots) {
            WorkerSlot emptied;
            synchronized (spawnLock) {
                if (idleSpares.isEmpty() || !lifecycle.state().runsTasks()) {
                    return;
                }
                emptied = needsWorker(slot) ? adoptSpare(slot) : null;
            }
            if (emptied != null) {
                refillAfterAdoption(emptied, slot.driver, slot.backoffMillis);
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
            if (driver.state() == WorkerState.SPARE) { // its exit, if it comes, is handled after this
                idleSpares.addLast(driver);
                execute(WorkerSupervisor.this::placeIdleSpares);
            }
        }

        @Override
        public void retiring(WorkerDriver driver) {
            WorkerSlot slot = slots[driver.slot()];
            execute(() -> {
                if (slot.driver == driver) {
                    replace(slot, 0, null);
                }
            });
        }

        @Override
        public void gone(WorkerDriver driver) {
            execute(() -> placeSpareAtOnce(driver));
        }

        @Override
        public void exited(WorkerExit exit) {
            // A dead spare leaves the idle ones before its exit is counted: a stats snapshot that
            // sees the exit does not count the spare as ready.
            idleSpares.remove(exit.driver());
            CompletableFuture<Void> ready = readiness.remove(exit.driver());
            if (ready != null && exit.diedBeforeReady()) {
                ready.completeExceptionally(new PoolStartupException(exit.driver() + " " + exit.description()
                        + " before it said hello, after " + exit.uptimeMillis() + " ms"
                        + (exit.outputTail().isEmpty() ? "; it wrote no output" : "; its output:\n" + exit.outputTail()),
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
        WorkerSlot slot = slotOf(driver); // a spare adopted before this reads its new slot
        if (state.runsTasks() && (slot.driver == driver || slot.placedFor == driver)) {
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
        replace(slot, delay, exit == null ? null : exit.driver());
    }

    /**
     * A slot's worker process is gone: an idle spare takes its place now, before what is left of
     * the dead worker's session is killed and its exit handled (which settles its tasks and
     * decides, by the restart policy, when the spare's position boots a new spare). Supervisor thread.
     */
    private void placeSpareAtOnce(WorkerDriver dead) {
        WorkerSlot slot = slotOf(dead);
        synchronized (spawnLock) {
            if (slot.spare || slot.driver != dead || !lifecycle.state().runsTasks()) {
                return;
            }
            WorkerSlot emptied = adoptSpare(slot);
            if (emptied != null) {
                slot.placedFor = dead;
                slot.placedFrom = emptied;
            }
        }
    }

    /** @return the slot or spare position the driver serves now (supervisor thread: adoptions are settled) */
    private WorkerSlot slotOf(WorkerDriver driver) {
        int id = driver.slot();
        return id < slots.length ? slots[id] : spares[id - slots.length];
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
        int ready = 0;
        for (WorkerDriver spare : idleSpares) {
            if (spare.state() == WorkerState.SPARE) {
                ready++;
            }
        }
        return ready;
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
