package io.forkpool.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The second JDK the tests start workers with: Temurin 25 beside the baseline 17, or {@code -Dforkpool.test.otherJava}. */
final class Jdk25 {

    private Jdk25() {
    }

    /**
     * @return its {@code java} executable; the calling test is skipped (an assumption) where there is none
     */
    static Path javaOrSkip() {
        Path java = Path.of(System.getProperty("forkpool.test.otherJava", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
        Assumptions.assumeTrue(Files.isExecutable(java), "no second JDK at " + java);
        return java;
    }
}
