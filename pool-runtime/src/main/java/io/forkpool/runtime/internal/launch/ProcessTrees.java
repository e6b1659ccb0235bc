package io.forkpool.runtime.internal.launch;

import io.forkpool.internal.process.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends a worker together with everything it started. On Linux each worker leads its own session
 * ({@link TreeGuard}): a signal reaches the whole session, and once the worker has exited its
 * session is killed until a scan finds nobody ({@link Sessions#killUntilEmpty}), which reaches
 * double-forked daemons and {@code nohup} children that are no longer its descendants and cannot
 * race with a fork loop. Elsewhere the
 * descendants are listed before the worker is signalled, because once it dies they are
 * re-parented and can no longer be found through it.
 */
final class ProcessTrees {

    /** How long the kill of a dead worker's session keeps going while its members keep forking. */
    static final long KILL_BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);

    private ProcessTrees() {
    }

    /**
     * Sends SIGTERM (or SIGKILL when {@code forcibly}) to the worker, its descendants and its
     * session, in one pass that never waits: it runs on the supervisor thread. What a fork slips
     * past it is caught once the worker has exited ({@link #killSessionLeftovers}).
     */
    static void signal(ProcessHandle worker, boolean forcibly) {
        List<ProcessHandle> others = new ArrayList<>(worker.descendants().toList());
        for (long pid : Sessions.members(List.of(worker.pid()))) {
            ProcessHandle.of(pid).ifPresent(others::add);
        }
        destroy(worker, forcibly);
        others.forEach(other -> destroy(other, forcibly));
    }

    private static void destroy(ProcessHandle process, boolean forcibly) {
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
    }

    /**
     * Kills whatever is left of a dead worker's session, until it is empty: orphans it left
     * behind. Waits (bounded), so it runs on the worker's io thread before the exit is reported.
     */
    static void killSessionLeftovers(long workerPid) {
        Sessions.killUntilEmpty(List.of(workerPid), KILL_BOUND_NANOS);
    }
}
