package io.forkpool.demo;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo needs to know about the terminal: is stderr one, and how wide is it.
 *
 * <p>Java 17 has no direct test for stderr ({@code System.console()} is non-null only when stdin
 * and stdout are both terminals, and says nothing about stderr). On Linux the target of
 * {@code /proc/self/fd/2} names the device, so {@code java -jar primes.jar > out.txt} in a
 * terminal still gets its bar on stderr. Elsewhere the console test is the fallback.
 */
final class Terminal {

    /** The width assumed when the environment does not say. */
    static final int DEFAULT_COLUMNS = 80;

    private Terminal() {
    }

    /** @return true if stderr is a terminal that can redraw a line in place */
    static boolean stderrIsTerminal() {
        return isTerminal(stderrTarget(), System.getenv(), System.console() != null);
    }

    /**
     * The decision, apart from the system calls so it can be tested.
     *
     * @param stderrTarget where {@code /proc/self/fd/2} points, or empty where that is unknown
     * @param environment the process environment
     * @param consolePresent whether {@code System.console()} is non-null, used when the target is unknown
     * @return true if a bar may be drawn on stderr
     */
    static boolean isTerminal(Optional<String> stderrTarget, Map<String, String> environment,
            boolean consolePresent) {
        // Emacs shells and some CI runners say "dumb": they show \r and escape codes as text.
        if ("dumb".equals(environment.get("TERM"))) {
            return false;
        }
        return stderrTarget.map(target -> target.startsWith("/dev/pts/") || target.startsWith("/dev/tty"))
                .orElse(consolePresent);
    }

    /**
     * The terminal's width from {@code COLUMNS}, which shells set but do not always export, so
     * the usual answer is {@link #DEFAULT_COLUMNS}: a bar narrower than the terminal is harmless,
     * one wider wraps and breaks the redraw.
     *
     * @param environment the process environment
     * @return the width in columns, at least 20
     */
    static int columns(Map<String, String> environment) {
        String columns = environment.get("COLUMNS");
        if (columns != null && columns.matches("\\d{1,4}")) {
            return Math.max(20, Integer.parseInt(columns));
        }
        return DEFAULT_COLUMNS;
    }

    /**
     * The charset the JDK encodes a standard stream with: {@code stdout.encoding} or
     * {@code stderr.encoding} on newer JDKs, {@code sun.stdout.encoding} or
     * {@code sun.stderr.encoding} when Java 17 sets them, else the default charset.
     *
     * @param stream {@code "stdout"} or {@code "stderr"}
     * @return the charset; the default charset if the property names an unknown one
     */
    static Charset encoding(String stream) {
        String name = System.getProperty(stream + ".encoding", System.getProperty("sun." + stream + ".encoding"));
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    private static Optional<String> stderrTarget() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            return Files.isSymbolicLink(fd) ? Optional.of(Files.readSymbolicLink(fd).toString()) : Optional.empty();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }
}
