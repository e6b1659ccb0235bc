package io.forkpool.runtime.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends processes together with their descendants. Descendants are listed before the parent is
 * signalled, because once it dies they are re-parented and can no longer be found through it.
 */
final class ProcessTrees {

    private ProcessTrees() {
    }

    /** Sends SIGTERM (or SIGKILL when {@code forcibly}) to the process and every descendant. */
    static void signal(ProcessHandle process, boolean forcibly) {
        List<ProcessHandle> descendants = process.descendants().toList();
        destroy(process, forcibly);
        for (ProcessHandle child : descendants) {
            destroy(child, forcibly);
        }
    }

    private static void destroy(ProcessHandle handle, boolean forcibly) {
        if (forcibly) {
            handle.destroyForcibly();
        } else {
            handle.destroy();
        }
    }

    /** Waits for a process to exit; returns whether it did within the time. */
    static boolean awaitExit(Process process, long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
