package io.forkpool.internal.worker;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records a class-data sharing archive in a JVM of its own, so the recording finishes and is
 * installed even when the supervisor that asked for it exits first (a short command-line run
 * does). Started by the pool as {@code java -cp … ArchiveRecorder <archive> <command…>}; it:
 *
 * <ol>
 *   <li>creates the cache directory, if need be, for this user only (0700);</li>
 *   <li>takes the lock {@code <archive>.lock} (holding its own pid), or exits if a live process
 *       holds it; a lock whose holder is gone, or older than ten minutes, is taken over;</li>
 *   <li>runs {@code command}, with {@link #OUTPUT} in its arguments replaced by where it must
 *       write the archive ({@code <archive>.tmp}), for at most two minutes: a JVM with
 *       {@code -XX:ArchiveClassesAtExit=}{@link #OUTPUT} rehearsing a worker, see {@link Rehearsal};</li>
 *   <li>renames the temporary file into place atomically, only if the command exited with 0,
 *       so a worker never maps a half-written archive; then removes the lock.</li>
 * </ol>
 *
 * Exit code 0 when the archive was installed or someone else is recording it, 1 otherwise.
 */
public final class ArchiveRecorder {

    /**
     * Stands, in the recording command, for the file the command must write the archive to: the
     * recorder, not its caller, decides where that is. Each argument is searched for it literally
     * and every occurrence is replaced; no shell ever sees the command.
     */
    public static final String OUTPUT = "{archive-output}";

    private static final Duration STALE_LOCK = Duration.ofMinutes(10);
    private static final long RECORDING_TIMEOUT_SECONDS = 120;

    private ArchiveRecorder() {
    }

    /**
     * Records one archive.
     *
     * @param args the archive path, then the recording command, which names its output {@link #OUTPUT}
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ArchiveRecorder <archive> <command naming " + OUTPUT + "...>");
            System.exit(1);
        }
        System.exit(record(Path.of(args[0]), Arrays.asList(args).subList(1, args.length)) ? 0 : 1);
    }

    /**
     * Records the archive unless it exists or another live process is recording it.
     *
     * @param archive where the archive goes
     * @param command the JVM that writes it to {@link #OUTPUT}
     * @return whether the archive exists afterwards or is someone else's job
     */
    static boolean record(Path archive, List<String> command) {
        Path lock = sibling(archive, ".lock");
        Path temporary = sibling(archive, ".tmp");
        try {
            createPrivateDirectories(archive.toAbsolutePath().getParent());
            if (Files.exists(archive) || !claim(lock)) {
                return true;
            }
        } catch (IOException e) {
            System.err.println("cannot lock " + lock + ": " + e);
            return false;
        }
        try {
            Files.deleteIfExists(temporary);
            Process process = new ProcessBuilder(withOutput(command, temporary)).inheritIO().start();
            process.getOutputStream().close();
            if (!process.waitFor(RECORDING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                System.err.println("recording " + archive + " took too long");
                return false;
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(temporary) || Files.size(temporary) == 0) {
                System.err.println("recording " + archive + " failed with exit code " + process.exitValue());
                return false;
            }
            Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            System.err.println("cannot record " + archive + ": " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            deleteQuietly(temporary);
            deleteQuietly(lock);
        }
    }

    /**
     * Tells whether a live process holds the lock of an archive, so nobody else need start a
     * recorder for it.
     *
     * @param archive the archive
     * @return whether a fresh lock names a live process
     */
    public static boolean isBeingRecorded(Path archive) {
        return Files.exists(sibling(archive, ".lock")) && !isStale(sibling(archive, ".lock"));
    }

    private static boolean claim(Path lock) throws IOException {
        if (claimOnce(lock)) {
            return true;
        }
        if (!isStale(lock)) {
            return false;
        }
        deleteQuietly(lock);
        return claimOnce(lock);
    }

    private static boolean claimOnce(Path lock) throws IOException {
        try {
            Files.writeString(lock, Long.toString(ProcessHandle.current().pid()), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // held, or another recorder took a stale one over first
        }
    }

    private static boolean isStale(Path lock) {
        try {
            if (Files.getLastModifiedTime(lock).toInstant().isBefore(Instant.now().minus(STALE_LOCK))) {
                return true;
            }
            long holder = Long.parseLong(Files.readString(lock).trim());
            return ProcessHandle.of(holder).map(process -> !process.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException e) {
            return false; // being written just now, or already gone: leave it to its holder
        }
    }

    /** Creates the cache directory readable and writable by this user only (workers trust nothing else). */
    private static void createPrivateDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }

    private static List<String> withOutput(List<String> command, Path output) {
        return command.stream().map(argument -> argument.replace(OUTPUT, output.toString())).toList();
    }

    private static Path sibling(Path archive, String suffix) {
        return archive.resolveSibling(archive.getFileName() + suffix);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a leftover temporary file or lock only costs a later retry
        }
    }
}
