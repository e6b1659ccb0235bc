package io.forkpool.runtime.internal.launch;

import io.forkpool.PoolOptions;
import io.forkpool.internal.worker.ArchivePruning;
import io.forkpool.internal.worker.ArchiveRecorder;
import io.forkpool.internal.worker.PrivatePaths;
import io.forkpool.internal.worker.Rehearsal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AppCDS archive of one worker configuration: a file in the pool's cache directory named
 * after a hash of everything the JVM checks when it maps an archive (the {@code java} executable,
 * the JVM options, each class path jar's path, size and modification time). Workers start with
 * {@code -XX:SharedArchiveFile} when it exists, so the protocol's and Jackson's classes are mapped
 * from it rather than loaded, parsed and verified one by one.
 *
 * <p>When it does not exist, {@link #recordInBackground} starts an {@link ArchiveRecorder} JVM,
 * which runs one more JVM that rehearses a worker's life ({@link Rehearsal}) with
 * {@code -XX:ArchiveClassesAtExit} into a fresh private directory of the recorder's choosing
 * ({@link ArchiveRecorder#OUTPUT}), and renames the archive into place only if that JVM exits
 * normally. The recorder is a process of its own so that a short-lived supervisor does not leave
 * a recording unfinished; its lock file keeps concurrent pools, in this JVM or others, from
 * recording the same archive twice. Every failure falls back to starting workers without an
 * archive: the JVM ignores a missing, stale or corrupt archive (with {@code -Xshare:auto}, its
 * default) and so do we. The JVM cannot archive classes from non-empty directories, so a class
 * path with one (an IDE or a Maven test run) is not recorded at all.
 *
 * <p>The cache directory must be private ({@link PrivatePaths}): this user's, writable by nobody
 * else, and not a symbolic link. Otherwise anyone who can write there could plant a symbolic
 * link where the recorder writes, or an archive for the workers to run; so a directory that is
 * not private is refused, with one WARN on {@code io.forkpool.pool} naming it and saying why, and
 * its workers start without an archive. The archive itself is used only if it is a private
 * regular file, never through a symbolic link.
 */
final class ClassDataArchive {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");
    /** The cache directories refused so far in this JVM, each reported once whatever the number of pools. */
    private static final Set<Path> REFUSED_DIRECTORIES = ConcurrentHashMap.newKeySet();
    /** The first JDK whose workers get an AOT cache rather than an AppCDS archive. */
    static final int FIRST_AOT_CACHE_JDK = 25;

    private final PoolOptions options;
    private final Path archive;
    /** Whether {@link #archive} is a JDK 25+ AOT cache ({@code -XX:AOTCache}) rather than an AppCDS archive. */
    private final boolean aotCache;
    /** Set once the archive was found and trusted; workers spawned later skip the checks. */
    private volatile boolean usable;
    /**
     * Why the cache directory was refused, once it was; set by whichever thread checks first, then
     * seen by every later spawn and recording, which use and record nothing.
     */
    private volatile String refusal;

    private ClassDataArchive(PoolOptions options, Path archive, boolean aotCache) {
        this.options = options;
        this.archive = archive;
        this.aotCache = aotCache;
    }

    /**
     * The archive for a pool's workers, or {@code null} when sharing is off, the workers are not
     * forkpool's Java worker, the user turned sharing off or chose an archive, or the class path holds a
     * directory. ({@code -Xshare:auto}, in the default options, is what makes an archive optional.)
     */
    static ClassDataArchive of(PoolOptions options) {
        Path directory = options.classDataCache();
        if (directory == null || !options.workerCommand().isEmpty()) {
            return null;
        }
        for (String option : options.jvmOptions()) {
            if (option.equals("-Xshare:off") || option.equals("-Xshare:dump") || option.contains("SharedArchiveFile")
                    || option.contains("ArchiveClassesAt") || option.contains("AOTCache") || option.contains("AOTMode")) {
                return null;
            }
        }
        MessageDigest digest = sha256();
        update(digest, options.javaExecutable().toAbsolutePath().toString());
        update(digest, fingerprint(options.javaExecutable()));
        options.jvmOptions().forEach(option -> update(digest, option));
        WorkerLauncher.REQUIRED_JVM_OPTIONS.forEach(option -> update(digest, option));
        for (String entry : options.classpath()) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                return null;
            }
            update(digest, path.toAbsolutePath().toString());
            update(digest, fingerprint(path));
        }
        String key = HexFormat.of().formatHex(digest.digest(), 0, 16);
        boolean aot = JdkRelease.feature(options.javaExecutable()) >= FIRST_AOT_CACHE_JDK;
        return new ClassDataArchive(options, directory.resolve("worker-" + key + (aot ? ".aot" : ".jsa")), aot);
    }

    /**
     * The JVM options that make a worker start from the archive, or none if there is none yet or it
     * cannot be trusted. An archive is class data the worker maps and runs, so it is used only
     * from a cache directory that is private (see {@link #directoryRefused}) and only if it is
     * itself private: a regular file, not a symbolic link, this user's and writable by nobody else.
     */
    List<String> jvmOptions() {
        if (!usable) {
            usable = !directoryRefused() && PrivatePaths.whyNotPrivateFile(archive).isEmpty() && Files.isReadable(archive);
            if (usable) {
                ArchivePruning.markUsed(archive); // once per pool: what is used is not pruned
            }
        }
        if (!usable) {
            return List.of();
        }
        return List.of((aotCache ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
    }

    /**
     * Whether the cache directory is refused: it exists and is not a directory, is a symbolic
     * link, is not this user's, or is writable by its group or others ({@link PrivatePaths}).
     * Anyone who can write there could plant a link where the archive or its lock is written, or
     * an archive of their own. A directory that does not exist yet is not refused: the recorder
     * creates it, 0700, and checks it again. The first refusal of a directory in this JVM is
     * logged at WARN, with the reason; a refusal holds for the rest of this pool's life.
     */
    private boolean directoryRefused() {
        if (refusal != null) {
            return true;
        }
        Path directory = archive.getParent();
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Optional<String> why = PrivatePaths.whyNotPrivateDirectory(directory);
        if (why.isEmpty()) {
            return false;
        }
        refusal = why.get();
        if (REFUSED_DIRECTORIES.add(directory)) {
            LOG.warn("workers start without a class-data sharing archive: the cache directory {} {}; it must be "
                    + "a directory of this user's that nobody else can write (see classDataCache)", directory, refusal);
        }
        return true;
    }

    /** @return where the archive is (or will be) */
    Path path() {
        return archive;
    }

    /**
     * Records the archive in the background if the cache directory is not refused, the archive
     * does not exist (as a private regular file: anything else at its name is replaced) and
     * nobody is recording it: one {@link ArchiveRecorder} JVM, which outlives this one if need be,
     * runs the rehearsal with {@code -XX:ArchiveClassesAtExit} and installs the result. Never
     * blocks and never throws.
     *
     * @return the recorder process, for tests, or {@code null} if none was started
     */
    Process recordInBackground() {
        if (directoryRefused() || PrivatePaths.whyNotPrivateFile(archive).isEmpty()
                || ArchiveRecorder.isBeingRecorded(archive)) {
            return null;
        }
        List<String> command = new ArrayList<>();
        command.add(options.javaExecutable().toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(WorkerLauncher.absoluteClasspath(options));
        command.add(ArchiveRecorder.class.getName());
        command.add(archive.toString());
        // What ArchiveRecorder runs: a worker's JVM that rehearses and, at exit, writes the archive
        // where the recorder puts it in place of OUTPUT.
        command.addAll(WorkerLauncher.javaWorkerCommand(options,
                List.of((aotCache ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + ArchiveRecorder.OUTPUT),
                Rehearsal.ARGUMENT));
        try {
            Process process = WorkerLauncher.asWorker(new ProcessBuilder(command), options)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            LOG.debug("recording the workers' class-data sharing archive {} in pid {}", archive, process.pid());
            return process;
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot record a class-data sharing archive at {}: {}", archive, e.toString());
            return null;
        }
    }

    private static String fingerprint(Path file) {
        try {
            return Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return "missing";
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
