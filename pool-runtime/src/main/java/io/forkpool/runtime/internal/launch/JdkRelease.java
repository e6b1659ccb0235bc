package io.forkpool.runtime.internal.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The feature version of the JDK a {@code java} executable belongs to, read from the JDK's
 * {@code release} file ({@code JAVA_VERSION="25.0.1"}) beside its {@code bin} directory, the
 * executable's links resolved. No process is started. Any doubt reads as 0: the caller then
 * does what suits every JDK.
 */
final class JdkRelease {

    /** A release file is a few kilobytes; anything larger is not one. */
    private static final long MAX_RELEASE_BYTES = 64 * 1024;

    private JdkRelease() {
    }

    /**
     * @param javaExecutable a {@code java} executable, as the pool's options give it
     * @return its JDK's feature version (17, 25, …), or 0 if it cannot be told
     */
    static int feature(Path javaExecutable) {
        try {
            Path home = javaExecutable.toRealPath().getParent().getParent();
            Path release = home.resolve("release");
            if (!Files.isRegularFile(release) || Files.size(release) > MAX_RELEASE_BYTES) {
                return 0;
            }
            return featureOf(Files.readString(release, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * @param release the text of a JDK's {@code release} file
     * @return the feature version its {@code JAVA_VERSION} line names, or 0 if it names none
     */
    static int featureOf(String release) {
        for (String line : release.split("\n")) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
                if (version.startsWith("1.")) {
                    version = version.substring(2); // 1.8.0_402: Java 8
                }
                int end = 0;
                while (end < version.length() && Character.isDigit(version.charAt(end)) && end < 4) {
                    end++;
                }
                return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
            }
        }
        return 0;
    }
}
