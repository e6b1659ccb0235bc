package io.forkpool.runtime.internal.worker;

import io.forkpool.ExitCause;
import io.forkpool.runtime.internal.ledger.TaskRecord;
import java.util.List;

/**
 * How a worker process ended, as its driver reports it: who ended it and why, and the tasks it
 * still held (the running one first).
 *
 * @param driver the worker's driver
 * @param cause how its end is classified
 * @param exitCode its exit code
 * @param description how it ended, in words
 * @param outputTail its last lines of output
 * @param orphans the tasks it held, running one first
 * @param uptimeMillis how long it ran
 * @param served how many tasks it answered
 * @param diedBeforeReady whether it never said a valid hello
 * @param readyForNanos how long it had been ready, 0 if never
 * @param killedFromOutside whether a signal that somebody else sends (SIGKILL, SIGTERM, SIGINT,
 *     SIGHUP) ended it, and not the pool: not the worker's own failure
 */
public record WorkerExit(WorkerDriver driver, ExitCause cause, int exitCode, String description, String outputTail,
        List<TaskRecord> orphans, long uptimeMillis, long served, boolean diedBeforeReady, long readyForNanos,
        boolean killedFromOutside) {
}
