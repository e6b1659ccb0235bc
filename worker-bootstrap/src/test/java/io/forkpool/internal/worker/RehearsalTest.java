package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rehearsal that records the class-data archive completes on its own and leaves nothing behind. */
class RehearsalTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void rehearsesAWorkersLifeOverARealSocketAndCleansUp() throws Exception {
        long before = rehearsalDirectories();
        Rehearsal.run();
        assertThat(rehearsalDirectories()).isEqualTo(before);
    }

    private static long rehearsalDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("forkpool-rehearsal-")).count();
        }
    }
}
