package io.forkpool.internal.worker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps the class-data cache directory from growing without bound: every configuration (java,
 * options, class path jars with their sizes and times) has an archive of its own, so each rebuilt
 * jar adds one (~10 MB). A pool marks the archive it starts workers from as used (its
 * modification time, {@link #markUsed}); after installing a new archive the recorder removes the
 * archives not used for {@link #MAX_AGE}, and all but the {@link #MAX_KEPT} most recently used.
 * Only this user's regular files named {@code worker-*.jsa} (AppCDS) or {@code worker-*.aot} (JDK 25+
 * AOT caches) are considered, never through a link.
 */
public final class ArchivePruning {

    /** An archive unused for this long is removed. */
    public static final Duration MAX_AGE = Duration.ofDays(30);
    /** At most this many archives are kept. */
    public static final int MAX_KEPT = 8;

    private ArchivePruning() {
    }

    /**
     * Marks an archive as used now; best effort.
     *
     * @param archive the archive a pool starts its workers from
     */
    public static void markUsed(Path archive) {
        try {
            Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));
        } catch (IOException | RuntimeException e) {
            // a read-only cache, or gone: it is pruned a little sooner, nothing worse
        }
    }

    /**
     * Removes the archives not used for {@link #MAX_AGE}, and the least recently used beyond
     * {@link #MAX_KEPT}; never {@code keep}.
     *
     * @param directory the cache directory
     * @param keep the archive just installed
     * @param now the time to judge by
     * @return how many were removed
     */
    static int prune(Path directory, Path keep, Instant now) {
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "worker-*.{jsa,aot}")) {
            for (Path entry : entries) {
                if (!entry.equals(keep) && PrivatePaths.isOwnRegularFile(entry)) {
                    archives.add(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        archives.sort(Comparator.comparing(ArchivePruning::lastUsed).reversed());
        int removed = 0;
        for (int i = 0; i < archives.size(); i++) {
            Path archive = archives.get(i);
            // keep is one of the MAX_KEPT
            if (i >= MAX_KEPT - 1 || lastUsed(archive).toInstant().isBefore(now.minus(MAX_AGE))) {
                try {
                    Files.deleteIfExists(archive);
                    removed++;
                } catch (IOException e) {
                    // another recorder removed it, or it cannot be: left for the next one
                }
            }
        }
        return removed;
    }

    private static FileTime lastUsed(Path archive) {
        try {
            return Files.getLastModifiedTime(archive, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
