package io.forkpool.runtime.internal.worker;

import io.forkpool.runtime.internal.exec.Scheduler;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a stop end the worker for sure: once begun, SIGTERM to its tree after one grace period and
 * SIGKILL after a second, each only if the worker still lives. Its timers run on the supervisor
 * thread; {@link #cancel} drops them once the exit is reported. Owned by one {@link WorkerDriver}.
 */
final class StopEscalation {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");

    private final WorkerLink link;
    private final Scheduler scheduler;
    private final DriverConfig config;
    private final Object who;
    private final BooleanSupplier dead;
    private volatile Scheduler.Timer term = Scheduler.NONE;
    private volatile Scheduler.Timer kill = Scheduler.NONE;

    /**
     * @param link the worker's process
     * @param scheduler the supervisor thread's timers
     * @param config the grace period and the pool's name
     * @param who the driver, for the log
     * @param dead whether the driver has seen the exit already
     */
    StopEscalation(WorkerLink link, Scheduler scheduler, DriverConfig config, Object who, BooleanSupplier dead) {
        this.link = link;
        this.scheduler = scheduler;
        this.config = config;
        this.who = who;
        this.dead = dead;
    }

    /** Starts both grace periods; called once, by the stop. */
    void begin() {
        long grace = config.stopGraceNanos();
        term = scheduler.schedule(() -> escalate(false), grace);
        kill = scheduler.schedule(() -> escalate(true), 2 * grace);
    }

    /** Drops what is pending: the worker has exited. */
    void cancel() {
        term.cancel();
        kill.cancel();
    }

    private void escalate(boolean forcibly) {
        if (!dead.getAsBoolean() && link.isAlive()) {
            LOG.warn("pool {}: {} did not stop within {} ms; sending {}", config.poolName(), who,
                    TimeUnit.NANOSECONDS.toMillis(config.stopGraceNanos()), forcibly ? "SIGKILL" : "SIGTERM");
            link.signal(forcibly);
        }
    }
}
