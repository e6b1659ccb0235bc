package io.forkpool.runtime.internal.launch;

import io.forkpool.internal.process.Warden;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pool's private directory for its workers' sockets: {@code forkpool-<pid>-<start>-<random>}
 * under the temporary directory, created for this user only (0700), where {@code <pid>} and
 * {@code <start>} (the supervisor's start time, milliseconds in base 36) name the supervisor that
 * owns it. A supervisor killed by SIGKILL cannot remove its directory; its warden does
 * ({@link TreeGuard}), and where there was none, the next pool removes every such directory whose
 * supervisor is gone: owned by this user, a real directory (never a link), and its pid dead or now
 * naming a process that started at another time.
 */
final class SocketDirectory {

    /** Linux caps a socket path at 108 bytes including the terminator. */
    static final int MAX_SOCKET_PATH = 100;

    private static final Pattern NAME = Pattern.compile("forkpool-(\\d{1,18})-([0-9a-z]{1,12})-\\d+");
    private static final ProcessHandle SELF = ProcessHandle.current();

    private SocketDirectory() {
    }

    /** @return the temporary directory sockets go under: {@code java.io.tmpdir} made absolute, or {@code /tmp} if that is too long a path */
    static Path base() {
        // Absolute: a worker refuses a relative socketPath (PROTOCOL.md 2.2), which would depend on its directory.
        Path base = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        // Leave room for "/forkpool-<pid>-<start>-<random>/w<id>-<n>.sock".
        if (base.toString().length() > MAX_SOCKET_PATH - 64 && Files.isDirectory(Path.of("/tmp"))) {
            base = Path.of("/tmp");
        }
        return base;
    }

    /**
     * Removes the stale directories of gone supervisors, then creates this pool's.
     *
     * @return the new directory
     * @throws IOException if it cannot be created
     */
    static Path create() throws IOException {
        Path base = base();
        removeStale(base);
        String prefix = "forkpool-" + SELF.pid() + "-" + Long.toString(startMillis(SELF).orElse(0L), 36) + "-";
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory(base, prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory(base, prefix);
    }

    /**
     * Removes the socket directories under {@code base} whose supervisor is gone.
     *
     * @param base where to look
     * @return how many were removed
     */
    static int removeStale(Path base) {
        int removed = 0;
        String me = System.getProperty("user.name");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, "forkpool-*")) {
            for (Path entry : entries) {
                Matcher name = NAME.matcher(entry.getFileName().toString());
                if (name.matches() && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                        && me.equals(Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS).getName())
                        && ownerGone(Long.parseLong(name.group(1)), Long.parseLong(name.group(2), 36))) {
                    Warden.removeDirectory(entry);
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a stale directory is empty and private
        }
        return removed;
    }

    /** Whether the supervisor that made a directory is gone: its pid is dead, or names a process started at another time. */
    static boolean ownerGone(long pid, long startMillis) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return true;
        }
        // Two JDKs may round a start time differently; a reused pid is off by far more.
        return startMillis(process.get()).map(start -> Math.abs(start - startMillis) > 2_000).orElse(false);
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }
}
