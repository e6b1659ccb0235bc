package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivePruningTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private static Path archive(Path dir, String name, Duration unusedFor) throws Exception {
        Path file = Files.writeString(dir.resolve(name), name);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(unusedFor)));
        return file;
    }

    private static Set<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void removesArchivesUnusedForAMonthButNeverTheNewOneNorOtherFiles(@TempDir Path dir) throws Exception {
        Path fresh = archive(dir, "worker-new.jsa", Duration.ZERO);
        archive(dir, "worker-yesterday.jsa", Duration.ofDays(1));
        archive(dir, "worker-old.jsa", Duration.ofDays(31));
        archive(dir, "worker-old.jsa.lock", Duration.ofDays(99));
        archive(dir, "other.jsa", Duration.ofDays(99));
        Path victim = archive(dir, "victim", Duration.ofDays(99));
        Files.createSymbolicLink(dir.resolve("worker-link.jsa"), victim);

        assertThat(ArchivePruning.prune(dir, fresh, NOW)).isEqualTo(1);

        assertThat(names(dir)).containsExactlyInAnyOrder("worker-new.jsa", "worker-yesterday.jsa",
                "worker-old.jsa.lock", "other.jsa", "victim", "worker-link.jsa");
    }

    @Test
    void keepsOnlyTheMostRecentlyUsedEight(@TempDir Path dir) throws Exception {
        Path fresh = archive(dir, "worker-new.jsa", Duration.ZERO);
        for (int i = 1; i <= 10; i++) {
            archive(dir, "worker-" + i + ".jsa", Duration.ofHours(i));
        }

        assertThat(ArchivePruning.prune(dir, fresh, NOW)).isEqualTo(3);

        assertThat(names(dir)).containsExactlyInAnyOrder("worker-new.jsa", "worker-1.jsa", "worker-2.jsa",
                "worker-3.jsa", "worker-4.jsa", "worker-5.jsa", "worker-6.jsa", "worker-7.jsa");
    }

    @Test
    void markingAnArchiveUsedKeepsIt(@TempDir Path dir) throws Exception {
        Path fresh = archive(dir, "worker-new.jsa", Duration.ZERO);
        Path old = archive(dir, "worker-old.jsa", Duration.ofDays(40));
        ArchivePruning.markUsed(old);
        assertThat(ArchivePruning.prune(dir, fresh, Instant.now())).isZero();
        assertThat(old).exists();
    }
}
