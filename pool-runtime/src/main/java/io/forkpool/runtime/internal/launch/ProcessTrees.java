package io.forkpool.runtime.internal.launch;

import io.forkpool.internal.process.Sessions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    /** How long a forcible end keeps killing a session that keeps forking. */
    static final long KILL_BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final Path PROC = Path.of("/proc");

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

    /**
     * What a process's file descriptor refers to, such as {@code pipe:[12345]}.
     *
     * @return the link's text, or empty if it cannot be read
     */
    static Optional<String> fdTarget(long pid, int fd) {
        try {
            return Optional.of(Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("fd")
                    .resolve(Integer.toString(fd))).toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Kills every other process that holds a file descriptor to {@code target} (a pipe, by its
     * {@code pipe:[inode]} name): children that left the worker's session but kept its output.
     *
     * @return how many were killed
     */
    static int killHoldersOf(String target) {
        long self = ProcessHandle.current().pid();
        List<Long> holders = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid != self && holds(process, target)) {
                    holders.add(pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc, or it changed under us
        }
        holders.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        return holders.size();
    }

    private static boolean holds(Path process, String target) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(target)) {
                        return true;
                    }
                } catch (IOException | RuntimeException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to read
        }
        return false;
    }

    private static boolean isNumber(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
