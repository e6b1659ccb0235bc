package io.forkpool.internal.process;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The processes of a Unix session, read from {@code /proc}, and killing them all. Each worker
 * runs in a session of its own (started through {@code setsid}), so its session holds every
 * process it started that did not leave it with {@code setsid} itself, double-forked daemons and
 * {@code nohup} children included, also after they were re-parented away from the worker.
 *
 * <p>Killing a session cannot be one scan: a member that forks between the scan and its SIGKILL
 * leaves a child the scan did not see. So {@link #killUntilEmpty} scans and kills until a scan
 * finds nobody. It converges: a process with a SIGKILL pending cannot complete a fork (the kernel
 * checks for a fatal signal before the child becomes visible), so every round leaves only
 * children of processes the round had not yet reached. Zombies are members that already exited;
 * they are not counted.
 */
public final class Sessions {

    private static final Path PROC = Path.of("/proc");
    /** How much of a {@code stat} file is read: the command name is at most 64 bytes, the session field follows soon after. */
    private static final int STAT_PREFIX = 512;
    private static final long SELF = ProcessHandle.current().pid();

    private Sessions() {
    }

    /** @return whether this system lists its processes in {@code /proc} (Linux) */
    public static boolean listable() {
        return Files.isDirectory(PROC.resolve("self"));
    }

    /**
     * A process's session id and state, from the text of its {@code /proc/<pid>/stat}: the
     * command name is in parentheses and may itself hold spaces and parentheses, so the fields
     * are counted after its <em>last</em> {@code ')'}.
     *
     * @param stat the text of a {@code stat} file
     * @return the session id, or -1 if the process is a zombie or dead, or the text is not a stat line
     */
    static long liveSessionOf(String stat) {
        byte[] bytes = stat.getBytes(StandardCharsets.ISO_8859_1);
        return liveSessionOf(bytes, bytes.length);
    }

    /**
     * {@link #liveSessionOf(String)} over the bytes of a {@code stat} file, as read: a scan of
     * {@code /proc} parses one per process, so it makes no strings.
     *
     * @param stat the file's first bytes (the fields wanted are within its first hundred or so)
     * @param length how many of them were read
     * @return the session id, or -1 if the process is a zombie or dead, or the text is not a stat line
     */
    static long liveSessionOf(byte[] stat, int length) {
        int close = length - 1;
        while (close >= 0 && stat[close] != ')') {
            close--;
        }
        // After ") ": state ppid pgrp session, and at least one more field.
        int field = 0;
        int fieldStart = close + 2;
        if (close < 0 || fieldStart >= length) {
            return -1;
        }
        byte state = stat[fieldStart];
        if (state == ' ' || state == 'Z' || state == 'X' || state == 'x') {
            return -1;
        }
        for (int i = fieldStart; i < length; i++) {
            if (stat[i] != ' ') {
                continue;
            }
            if (field == 3) {
                return decimal(stat, fieldStart, i);
            }
            field++;
            fieldStart = i + 1;
        }
        return -1;
    }

    /** @return the non-negative decimal number in {@code bytes[from, to)}, or -1 if it is not one */
    private static long decimal(byte[] bytes, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return -1;
            }
            value = value * 10 + (bytes[i] - '0');
        }
        return value;
    }

    /**
     * Whether a process leads its own session (its session id is its pid), as a worker started
     * through {@code setsid} does.
     *
     * @param pid the process
     * @return whether it does; {@code false} if it cannot be told
     */
    public static boolean leads(long pid) {
        return sessionOf(Long.toString(pid), new byte[STAT_PREFIX]) == pid;
    }

    /**
     * Lists the live processes of some sessions, leaders included, this process excluded.
     *
     * @param sessionIds the sessions
     * @return their members' pids; empty where there is no {@code /proc}
     */
    public static List<Long> members(Collection<Long> sessionIds) {
        List<Long> members = new ArrayList<>();
        String[] entries = PROC.toFile().list();
        if (sessionIds.isEmpty() || entries == null) {
            return members;
        }
        // A dead worker's session is scanned on the way to its replacement: one buffer, no Path
        // or String per process (a scan of a hundred processes takes a few milliseconds cold).
        byte[] stat = new byte[STAT_PREFIX];
        for (String entry : entries) {
            if (!isPid(entry)) {
                continue;
            }
            long pid = Long.parseLong(entry);
            if (pid != SELF && sessionIds.contains(sessionOf(entry, stat))) {
                members.add(pid);
            }
        }
        return members;
    }

    /**
     * What a process's file descriptor refers to, such as {@code pipe:[12345]}.
     *
     * @param pid the process
     * @param fd the descriptor
     * @return the link's text, or empty if it cannot be read
     */
    public static Optional<String> fdTarget(long pid, int fd) {
        try {
            return Optional.of(Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("fd")
                    .resolve(Integer.toString(fd))).toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * SIGKILLs every other process that holds a file descriptor to {@code target} (a pipe, by its
     * {@code pipe:[inode]} name): children that left a worker's session but kept its output.
     *
     * @param target what the descriptor refers to, as {@link #fdTarget} reads it
     * @return how many were killed
     */
    public static int killHoldersOf(String target) {
        List<Long> holders = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, Sessions::isPid)) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid != SELF && holds(entry, target)) {
                    holders.add(pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc, or it changed under us
        }
        holders.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        return holders.size();
    }

    private static boolean holds(Path procEntry, String target) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(procEntry.resolve("fd"))) {
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

    private static boolean isPid(Path entry) {
        return isPid(entry.getFileName().toString());
    }

    private static boolean isPid(String name) {
        if (name.isEmpty() || name.length() > 18) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The session of the process {@code /proc/<pid>}, read into {@code buffer}; -1 if gone or unreadable. */
    private static long sessionOf(String pid, byte[] buffer) {
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
            int n = in.read(buffer);
            return n <= 0 ? -1 : liveSessionOf(buffer, n);
        } catch (IOException | RuntimeException e) {
            return -1; // gone already, or unreadable
        }
    }

    /**
     * SIGKILLs every live member of the sessions, scanning again after each round, until a scan
     * finds nobody or the time is up.
     *
     * @param sessionIds the sessions
     * @param boundNanos how long to keep going at most
     * @return how many processes were signalled in all (a process may count twice if it took a
     *     round to die)
     */
    public static int killUntilEmpty(Collection<Long> sessionIds, long boundNanos) {
        long deadline = System.nanoTime() + boundNanos;
        int signalled = 0;
        long pauseMicros = 100;
        List<Long> members;
        while (!(members = members(sessionIds)).isEmpty()) {
            for (long pid : members) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            signalled += members.size();
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            // A killed process takes a moment to exit (a JVM, milliseconds); scanning again at
            // once would only spin a CPU that the dying processes need.
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(pauseMicros));
            pauseMicros = Math.min(10_000, pauseMicros * 2);
        }
        return signalled;
    }
}
