package io.forkpool.internal.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Records a class-data sharing archive in a JVM of its own, so the recording finishes and is
 * installed even when the supervisor that asked for it exits first (a short command-line run
 * does). Started by the pool as {@code java -cp … ArchiveRecorder <archive> <command…>}; it:
 *
 * <ol>
 *   <li>creates the cache directory, if need be, for this user only (0700), and records nothing
 *       unless it is private: a directory, not a symbolic link, this user's and writable by
 *       nobody else ({@link PrivatePaths});</li>
 *   <li>takes the lock {@code <archive>.lock} (holding its own pid), or exits if a live process
 *       holds it; a lock whose holder is gone, older than ten minutes, or that is not a regular
 *       file of this user's (a symbolic link, say) is deleted and taken over;</li>
 *   <li>creates a fresh directory for this user only in the cache directory and runs
 *       {@code command}, with {@link #OUTPUT} in its arguments replaced by a file in that
 *       directory, for at most two minutes: a JVM with {@code -XX:ArchiveClassesAtExit=}{@link #OUTPUT}
 *       rehearsing a worker, see {@link Rehearsal};</li>
 *   <li>renames that file into place atomically, only if the command exited with 0, so a worker
 *       never maps a half-written archive; then removes the fresh directory and the lock.</li>
 * </ol>
 *
 * <p>Nothing is written through a name someone else could have created. The names in the cache
 * directory that can be predicted are the archive's and the lock's. The lock is created with
 * {@code O_EXCL}, which fails on any existing name, a dangling symbolic link included; it is read
 * without following links, a few bytes at most, and only if it is this user's regular file. The
 * archive's name is only ever the target of a {@code rename(2)}, which replaces a symbolic link
 * there instead of following it. The output's directory gets a random name and is created
 * exclusively, 0700, so nothing can have been planted inside it.
 *
 * <p>Exit code 0 when the archive was installed or someone else is recording it, 1 otherwise.
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
    /** A pid takes at most 19 digits; a lock holding more is not one of ours. */
    private static final int MAX_LOCK_BYTES = 32;

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
        Path directory = archive.toAbsolutePath().getParent();
        Path lock = sibling(archive, ".lock");
        try {
            PrivatePaths.createPrivateDirectories(directory);
            if (isInstalled(archive) || !claim(lock)) {
                return true;
            }
        } catch (IOException e) {
            System.err.println("not recording " + archive + ": " + e.getMessage());
            return false;
        }
        String prefix = archive.getFileName() + ".recording-";
        Path scratch = null;
        try {
            if (isInstalled(archive)) {
                return true; // by the holder of the lock before ours
            }
            deleteLeftovers(directory, prefix); // holding the lock, any is from a recorder that was killed
            scratch = PrivatePaths.createPrivateTemporaryDirectory(directory, prefix);
            Path output = scratch.resolve(archive.getFileName());
            return runAndInstall(withOutput(command, output), output, archive);
        } catch (IOException e) {
            System.err.println("cannot record " + archive + ": " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            deleteTree(scratch);
            deleteQuietly(lock);
        }
    }

    private static boolean runAndInstall(List<String> command, Path output, Path archive)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        process.getOutputStream().close();
        if (!process.waitFor(RECORDING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            System.err.println("recording " + archive + " took too long");
            return false;
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)
                || Files.size(output) == 0) {
            System.err.println("recording " + archive + " failed with exit code " + process.exitValue());
            return false;
        }
        // rename(2): replaces whatever is at the archive's name, a symbolic link included, never follows it.
        Files.move(output, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        ArchivePruning.prune(archive.getParent(), archive, java.time.Instant.now());
        return true;
    }

    /**
     * Tells whether a live process holds the lock of an archive, so nobody else need start a
     * recorder for it. A lock that is not this user's regular file is nobody's.
     *
     * @param archive the archive
     * @return whether a fresh lock names a live process
     */
    public static boolean isBeingRecorded(Path archive) {
        Path lock = sibling(archive, ".lock");
        return Files.exists(lock, LinkOption.NOFOLLOW_LINKS) && !isStale(lock);
    }

    /** A private regular file at the archive's name is a recorded archive; anything else is replaced. */
    private static boolean isInstalled(Path archive) {
        return PrivatePaths.whyNotPrivateFile(archive).isEmpty();
    }

    private static boolean claim(Path lock) throws IOException {
        if (claimOnce(lock)) {
            return true;
        }
        if (!isStale(lock)) {
            return false;
        }
        deleteQuietly(lock); // unlink(2): removes a symbolic link itself, not what it points to
        return claimOnce(lock);
    }

    private static boolean claimOnce(Path lock) throws IOException {
        try {
            // CREATE_NEW is O_EXCL: fails on any existing name, a dangling symbolic link included.
            Files.writeString(lock, Long.toString(ProcessHandle.current().pid()), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // held, or another recorder took a stale one over first
        }
    }

    private static boolean isStale(Path lock) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(lock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false; // already gone: its holder is done
        }
        if (!PrivatePaths.isOwnRegularFile(lock)) {
            return true; // no recorder of ours made it; it is never opened
        }
        if (attributes.lastModifiedTime().toInstant().isBefore(Instant.now().minus(STALE_LOCK))) {
            return true;
        }
        OptionalLong holder = holder(lock);
        // Unreadable or no number: being written just now, leave it to its holder.
        return holder.isPresent() && ProcessHandle.of(holder.getAsLong()).map(process -> !process.isAlive()).orElse(true);
    }

    /** The pid in a lock, read without following a link and without reading more than a pid's length. */
    private static OptionalLong holder(Path lock) {
        try (SeekableByteChannel channel = Files.newByteChannel(lock, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer content = ByteBuffer.allocate(MAX_LOCK_BYTES);
            while (content.hasRemaining() && channel.read(content) >= 0) {
                // fill what fits
            }
            content.flip();
            return OptionalLong.of(Long.parseLong(StandardCharsets.US_ASCII.decode(content).toString().trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static List<String> withOutput(List<String> command, Path output) {
        return command.stream().map(argument -> argument.replace(OUTPUT, output.toString())).toList();
    }

    private static Path sibling(Path archive, String suffix) {
        return archive.resolveSibling(archive.getFileName() + suffix);
    }

    private static void deleteLeftovers(Path directory, String prefix) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory,
                entry -> entry.getFileName().toString().startsWith(prefix))) {
            leftovers.forEach(ArchiveRecorder::deleteTree);
        }
    }

    /** Deletes a directory and what it holds; a symbolic link in it is deleted, never followed. */
    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a leftover directory only costs disk space until the next recording removes it
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a leftover lock only costs a later retry
        }
    }
}
