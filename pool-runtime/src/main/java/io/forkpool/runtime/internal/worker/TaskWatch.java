package io.forkpool.runtime.internal.worker;

import io.forkpool.ExitCause;
import io.forkpool.TaskTimeoutException;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.runtime.internal.exec.Scheduler;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import java.util.concurrent.TimeUnit;

/**
 * A worker driver's clocks over its tasks: each running task's timeout, the grace a cancelled
 * task has to stop before its worker is killed, and the liveness probe of a worker that holds
 * tasks and stays silent ({@link ProbeClock}). Every decision runs on the supervisor thread
 * ({@link Scheduler}); what it sends goes through the driver's sender, never written here.
 */
final class TaskWatch {

    /** After asking a worker to cancel its running task, how long it has before it is killed. */
    static final long CANCEL_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final WorkerDriver driver;
    private final Scheduler scheduler;
    private final InFlightTasks inFlight;
    private final ProbeClock probe;
    private final DriverConfig config;
    private final long pid;

    TaskWatch(WorkerDriver driver, Scheduler scheduler, InFlightTasks inFlight, ProbeClock probe, DriverConfig config,
            long pid) {
        this.driver = driver;
        this.scheduler = scheduler;
        this.inFlight = inFlight;
        this.probe = probe;
        this.config = config;
        this.pid = pid;
    }

    /** Starts the liveness ticks of a worker that answers PING. */
    void startProbing() {
        scheduler.schedule(this::checkLiveness, probe.tickNanos());
    }

    /** A task became the running one: start its timeout, if it has one. Under the in-flight monitor. */
    void started(TaskRecord task) {
        if (task.timeout != null) {
            task.clock = scheduler.schedule(() -> onTimeout(task), task.timeout.toNanos());
        }
    }

    private void onTimeout(TaskRecord task) {
        if (inFlight.holds(task) && task.future.fail(new TaskTimeoutException(task.id(),
                task.type.name(), task.timeout, driver.slot(), pid))) {
            requestCancel(task, "timed out after " + task.timeout);
        }
    }

    /** The task's future was cancelled; any thread. */
    void cancelled(TaskRecord task) {
        if (inFlight.holds(task)) {
            requestCancel(task, "was cancelled");
        }
    }

    /** Has the sender write CANCEL; a task still running a grace period later costs the worker its life. */
    private void requestCancel(TaskRecord task, String why) {
        Sender s = driver.sender();
        if (s != null) {
            s.control(FrameType.CANCEL, task.id());
        }
        scheduler.schedule(() -> enforceCancel(task, why), CANCEL_GRACE_NANOS);
    }

    private void enforceCancel(TaskRecord task, String why) {
        if (!inFlight.holds(task)) {
            return; // the worker answered
        }
        if (inFlight.runningNanos(task, scheduler.nanoTime()) >= CANCEL_GRACE_NANOS) {
            driver.kill(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL, task + " " + why + " and did not stop within "
                    + TimeUnit.NANOSECONDS.toMillis(CANCEL_GRACE_NANOS) + " ms of being cancelled");
        } else {
            // Still queued inside the worker (it will skip it), or only just started: look again.
            scheduler.schedule(() -> enforceCancel(task, why), CANCEL_GRACE_NANOS);
        }
    }

    /** A worker that holds tasks and has been silent too long is probed, and killed if it stays silent. */
    private void checkLiveness() {
        WorkerState now = driver.state();
        if (now.ending()) {
            return; // a stop has its own escalation
        }
        switch (probe.check(scheduler.nanoTime(), !inFlight.isEmpty())) {
            case PROBE:
                driver.sender().control(FrameType.PING, probe.probes());
                break;
            case DEAD:
                driver.kill(ExitCause.PROTOCOL_VIOLATION, "held " + inFlight.size() + " task(s) and answered neither them"
                        + " nor a liveness probe for " + TimeUnit.NANOSECONDS.toMillis(
                                config.silenceNanos() + config.probeNanos()) + " ms");
                return;
            default:
                break;
        }
        scheduler.schedule(this::checkLiveness, probe.tickNanos());
    }
}
