package io.forkpool.runtime.internal;

import io.forkpool.ExitCause;
import java.util.List;

/**
 * What a worker process's exit handler hands to the pool: who ended, how, and the tasks it held
 * (running one first).
 */
record WorkerExit(WorkerProcess process, WorkerProcess.State before, ExitCause cause, int exitCode,
        String description, String outputTail, List<TaskRecord> orphans, long uptimeMillis, long served) {

    boolean diedBeforeReady() {
        return !process.wasReady();
    }

    long readyForNanos() {
        return process.readyForNanos();
    }
}
