package io.forkpool.runtime.internal.lifecycle;

import io.forkpool.runtime.internal.exec.Scheduler;
import io.forkpool.runtime.internal.worker.WorkerDriver;
import io.forkpool.runtime.internal.worker.WorkerState;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what takes the place of a worker that is gone or going, and when: an idle warm spare at
 * once, else a worker booted after the restart policy's backoff. Owns the warm spares: their
 * positions ({@link WorkerSlot#spare}, ids from the pool's worker count on) and the queue of idle
 * ones. Every decision runs on the supervisor thread under the supervisor's spawn lock; the idle
 * queue is also added to by the spares' io threads and counted by stats readers.
 *
 * <p>A spare is placed in a slot at three moments: when the slot's worker process is gone (before
 * its exit is handled: {@link #placeSpareAtOnce}), when its exit is handled or it retires
 * ({@link #replace}), and when a spare says hello while a slot waits for its backoff
 * ({@link #placeIdleSpares}). The position a spare left boots a new spare once the placed spare
 * has answered (at most {@link #SPARE_REBOOT_CAP_MILLIS} later), and never before the backoff the
 * dead worker was given, so a crash loop boots no faster with spares than without. Every boot
 * goes through {@link #fill}, which boots nothing into a position that has a worker by then, so a
 * boot scheduled twice starts one JVM.
 */
final class Replacements {

    /** What the replacements need of the supervisor that owns the slots, the drivers and the lock. */
    interface Supervisor {
        /** Spawns a driver into the position; under the spawn lock. */
        void spawn(WorkerSlot position) throws IOException;

        /** Whether the driver's exit has not been handled yet. */
        boolean isLive(WorkerDriver driver);

        /** Whether the pool still runs tasks (and so replaces workers). */
        boolean runsTasks();

        /** The position's spawn failed: restart it after a backoff, as for a worker dead before its hello. */
        void spawnFailed(WorkerSlot position);

        /** Runs an action on the supervisor thread, unless the pool is terminated. */
        void execute(Runnable action);
    }

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");
    /** The longest a spare's position waits for the spare it gave up to answer before it boots a new one. */
    static final long SPARE_REBOOT_CAP_MILLIS = 1_000;

    private final String poolName;
    private final Scheduler scheduler;
    private final Object spawnLock;
    private final Supervisor supervisor;
    private final WorkerSlot[] slots;
    /** The warm spares' positions; each holds its spare while it boots or waits. */
    private final WorkerSlot[] spares;
    /** Spares that said hello and wait to be placed, oldest first. */
    private final ConcurrentLinkedDeque<WorkerDriver> idleSpares = new ConcurrentLinkedDeque<>();

    /**
     * @param poolName for the log
     * @param slots the pool's slots
     * @param spareCount how many warm spares to keep
     * @param scheduler the supervisor thread's clock and timers
     * @param spawnLock the supervisor's spawn lock, held for every decision
     * @param supervisor the supervisor
     */
    Replacements(String poolName, WorkerSlot[] slots, int spareCount, Scheduler scheduler, Object spawnLock,
            Supervisor supervisor) {
        this.poolName = poolName;
        this.slots = slots;
        this.scheduler = scheduler;
        this.spawnLock = spawnLock;
        this.supervisor = supervisor;
        this.spares = new WorkerSlot[spareCount];
        for (int i = 0; i < spareCount; i++) {
            spares[i] = new WorkerSlot(slots.length + i, true);
        }
    }

    /** Boots every spare; the supervisor thread. */
    void startSpares() {
        for (WorkerSlot position : spares) {
            supervisor.execute(() -> fill(position));
        }
    }

    /** @return the slot, or the spare position, of an id */
    WorkerSlot position(int id) {
        return id < slots.length ? slots[id] : spares[id - slots.length];
    }

    /** A spare said hello and waits: queued at once (its io thread), placed by the supervisor thread. */
    void spareReady(WorkerDriver spare) {
        idleSpares.addLast(spare);
        supervisor.execute(this::placeIdleSpares);
    }

    /** A driver's exit is reported: a spare among the idle ones is no longer one. Any thread. */
    void exited(WorkerDriver driver) {
        idleSpares.remove(driver);
    }

    /** @return how many spares are idle and ready to be placed */
    int sparesReady() {
        int ready = 0;
        for (WorkerDriver spare : idleSpares) {
            if (spare.state() == WorkerState.SPARE) {
                ready++;
            }
        }
        return ready;
    }

    /**
     * A slot's worker process is gone: an idle spare takes its place now, before what is left of
     * the dead worker's session is killed and its exit handled (which settles its tasks and then
     * calls {@link #replace}). Supervisor thread.
     */
    void placeSpareAtOnce(WorkerDriver dead) {
        WorkerSlot slot = position(dead.slot());
        synchronized (spawnLock) {
            if (slot.spare || slot.driver != dead || !supervisor.runsTasks()) {
                return;
            }
            WorkerSlot emptied = adoptSpare(slot);
            if (emptied != null) {
                slot.placedFor = dead;
                slot.placedFrom = emptied;
            }
        }
    }

    /**
     * A position's worker is dead ({@code dead}, its exit handled) or retiring ({@code dead} null):
     * an idle spare takes a slot's place at once, or the position's new worker boots after the
     * backoff. Supervisor thread.
     *
     * @param slot the position
     * @param delayMillis the restart policy's backoff
     * @param dead the dead worker, or {@code null} for a retiring one
     */
    void replace(WorkerSlot slot, long delayMillis, WorkerDriver dead) {
        WorkerSlot emptied;
        synchronized (spawnLock) {
            slot.backoffMillis = delayMillis;
            if (dead != null && slot.placedFor == dead) { // a spare took its place when its process was gone
                emptied = slot.placedFrom;
                slot.placedFor = null;
                slot.placedFrom = null;
            } else {
                emptied = supervisor.runsTasks() && needsWorker(slot) ? adoptSpare(slot) : null;
            }
        }
        if (emptied != null) {
            LOG.info("pool {}: a warm spare serves worker {}; a new spare boots once it has answered", poolName,
                    slot.id);
            refillAfterPlacement(emptied, slot.driver, delayMillis);
            return;
        }
        if (delayMillis > 0) {
            LOG.info("pool {}: restarting {} {} in {} ms", poolName, slot.spare ? "spare" : "worker", slot.id,
                    delayMillis);
        }
        fillLater(slot, delayMillis);
    }

    /**
     * A spare said hello: it takes the place of any slot whose worker is gone and waits for its
     * backoff; the position it leaves boots a new spare after that slot's backoff. Supervisor thread.
     */
    private void placeIdleSpares() {
        for (WorkerSlot slot : slots) {
            WorkerSlot emptied;
            synchronized (spawnLock) {
                if (idleSpares.isEmpty() || !supervisor.runsTasks()) {
                    return;
                }
                emptied = needsWorker(slot) ? adoptSpare(slot) : null;
            }
            if (emptied != null) {
                refillAfterPlacement(emptied, slot.driver, slot.backoffMillis);
            }
        }
    }

    /**
     * Boots a new spare into the position a spare left, once the spare it placed has answered (or
     * after {@link #SPARE_REBOOT_CAP_MILLIS}), and not before the backoff: a JVM's start-up takes
     * a CPU or more, and should not slow the first tasks of the worker that just took a dead one's
     * place. Whichever comes first boots it. Supervisor thread.
     */
    private void refillAfterPlacement(WorkerSlot position, WorkerDriver placed, long backoffMillis) {
        long placedAt = scheduler.nanoTime();
        Runnable boot = () -> fillLater(position,
                Math.max(0, backoffMillis - TimeUnit.NANOSECONDS.toMillis(scheduler.nanoTime() - placedAt)));
        placed.answered().thenRun(() -> supervisor.execute(boot));
        scheduler.schedule(boot, TimeUnit.MILLISECONDS.toNanos(SPARE_REBOOT_CAP_MILLIS));
    }

    private void fillLater(WorkerSlot position, long delayMillis) {
        if (delayMillis == 0) {
            fill(position);
        } else {
            scheduler.schedule(() -> fill(position), TimeUnit.MILLISECONDS.toNanos(delayMillis));
        }
    }

    /**
     * Gives the position a worker, unless the pool no longer runs tasks or the position got one
     * meanwhile: a spare that became idle since the backoff began, else a new JVM. Supervisor thread.
     */
    private void fill(WorkerSlot position) {
        synchronized (spawnLock) {
            if (!supervisor.runsTasks() || !needsWorker(position)) {
                return;
            }
            WorkerSlot emptied = adoptSpare(position);
            if (emptied != null) {
                refillAfterPlacement(emptied, position.driver, 0);
                return;
            }
            try {
                supervisor.spawn(position);
            } catch (IOException | RuntimeException e) {
                LOG.error("pool {}: cannot start {} {}: {}", poolName,
                        position.spare ? "spare" : "a replacement for worker", position.id, e.getMessage());
                supervisor.spawnFailed(position);
            }
        }
    }

    /**
     * Whether the position needs a new worker: it never had one, its worker's exit has been
     * handled, or its worker retires (and so stops). A worker that died but whose exit is still to
     * be handled is replaced when it is.
     */
    private boolean needsWorker(WorkerSlot position) {
        WorkerDriver driver = position.driver;
        if (driver == null || !supervisor.isLive(driver)) {
            return true;
        }
        WorkerState state = driver.state();
        return state == WorkerState.RETIRING || state == WorkerState.STOPPING;
    }

    /**
     * Puts an idle spare into a slot, if one is idle. Under the spawn lock.
     *
     * @return the spare position it left, which needs a new spare; {@code null} if none was put in
     */
    private WorkerSlot adoptSpare(WorkerSlot slot) {
        if (slot.spare) {
            return null;
        }
        WorkerDriver spare;
        while ((spare = idleSpares.pollFirst()) != null) {
            WorkerSlot position = position(spare.slot());
            if (spare.adopt(slot.id, slot.inputsAnswered::add)) {
                position.driver = null;
                slot.incarnations++;
                slot.driver = spare;
                return position;
            } // stopping or dead: its exit replaces it in its position
        }
        return null;
    }
}
