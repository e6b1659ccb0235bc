package io.forkpool.runtime.internal.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends a worker together with everything it started. On Linux each worker runs in its own session
 * (started through {@code setsid}), and every process of that session is signalled, which also
 * reaches double-forked daemons and {@code nohup} children that are no longer its descendants. Elsewhere
 * the descendants are listed before the worker is signalled, because once it dies they are
 * re-parented and can no longer be found through it.
 */
final class ProcessTrees {

    private static final Path PROC = Path.of("/proc");

    private ProcessTrees() {
    }

    /** Sends SIGTERM (or SIGKILL when {@code forcibly}) to the worker, its session and its descendants. */
    static void signal(ProcessHandle worker, boolean forcibly) {
        List<ProcessHandle> others = new ArrayList<>(worker.descendants().toList());
        for (long pid : sessionMembers(worker.pid())) {
            ProcessHandle.of(pid).ifPresent(others::add);
        }
        destroy(worker, forcibly);
        for (ProcessHandle other : others) {
            destroy(other, forcibly);
        }
    }

    /** Kills whatever is left of a dead worker's session: orphans it left behind. */
    static void killSessionLeftovers(long workerPid) {
        for (long pid : sessionMembers(workerPid)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Lists the processes whose session id is {@code sessionId}, other than the leader, from
     * {@code /proc}. Empty where there is no {@code /proc}.
     */
    static List<Long> sessionMembers(long sessionId) {
        List<Long> members = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return members;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    long pid = Long.parseLong(name);
                    if (pid != sessionId && sessionOf(entry) == sessionId) {
                        members.add(pid);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // /proc changed under us; what was listed is still worth signalling
        }
        return members;
    }

    /** Field 6 of /proc/PID/stat, counted after the parenthesised command name (which may hold spaces). */
    private static long sessionOf(Path procEntry) {
        try {
            String stat = new String(Files.readAllBytes(procEntry.resolve("stat")), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
            return Long.parseLong(fields[3]);
        } catch (IOException | RuntimeException e) {
            return -1; // gone already, or unreadable
        }
    }

    private static void destroy(ProcessHandle handle, boolean forcibly) {
        if (forcibly) {
            handle.destroyForcibly();
        } else {
            handle.destroy();
        }
    }
}
