package io.forkpool.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text {@code --help} prints, built from a table of the options so that a test can check
 * that every option is listed with its default, and that every listed option parses.
 */
final class Usage {

    /** Lines are wrapped to fit a terminal of this width. */
    static final int WIDTH = 79;
    /** Where descriptions start, after the option's name and argument. */
    static final int INDENT = 21;

    /**
     * One option as {@code --help} lists it.
     *
     * @param name the option, e.g. {@code --up-to}
     * @param argument what its value is called, e.g. {@code N}; empty for a flag
     * @param description what it does, and its accepted range
     * @param defaultValue what applies when it is not given; empty only for {@code --help}, which
     *     is an action rather than a setting
     */
    record Entry(String name, String argument, String description, Optional<String> defaultValue) {

        private Entry(String name, String argument, String description, String defaultValue) {
            this(name, argument, description, Optional.of(defaultValue));
        }
    }

    private Usage() {
    }

    /** @return every option, in the order {@code --help} lists them */
    static List<Entry> entries() {
        return List.of(
                new Entry("--up-to", "N", "count the primes below N, N >= 0", "10_000_000"),
                new Entry("--chunk", "C", "numbers per task, C >= 1; the last task may be shorter", "100_000"),
                new Entry("--workers", "W", "worker JVMs, or threads with --in-process, 1.." + DemoOptions.MAX_WORKERS,
                        defaultWorkers() + ": the available processors"),
                new Entry("--in-process", "", "run the same tasks on W threads of this JVM, as a baseline",
                        "off: on worker JVMs"),
                new Entry("--cluster", "NODES", "run the same tasks on the worker JVMs of a forkpool cluster,"
                        + " reached through NODES, HOST:PORT[,HOST:PORT...] (gives up after 10 s if none answers);"
                        + " not with --workers, --in-process or --java",
                        "off: on this machine"),
                new Entry("--java", "PATH", "the workers' java executable: a path, or a name on the PATH",
                        defaultJava() + ", this JVM's"),
                new Entry("--max-attempts", "K", "runs allowed per task when its worker dies under it, 1..100",
                        String.valueOf(DemoOptions.DEFAULT_MAX_ATTEMPTS)),
                new Entry("--progress", "MODE", "progress on stderr: bar (redrawn in place), plain (a line every "
                        + LiveProgress.PLAIN_INTERVAL.toSeconds() + " s and one at the end) or none",
                        "auto: bar if stderr is a terminal, else plain; none with --json"),
                new Entry("--json", "", "print the result with the pool's stats as one JSON object on stdout",
                        "off: a summary"),
                new Entry("--help", "", "print this help and exit; also -h", Optional.empty()));
    }

    /** @return the usage, several lines each ending with a line separator */
    static String text() {
        List<String> lines = new ArrayList<>(List.of(
                "usage: java -jar primes.jar [options]",
                "Counts the primes below N by trial division, in tasks of C consecutive numbers,",
                "on a pool of worker JVMs (or, with --in-process, on threads of this JVM; with",
                "--cluster, on the nodes of a forkpool cluster), and prints how long it took",
                "and the pool's statistics.",
                "",
                "options:"));
        for (Entry entry : entries()) {
            lines.addAll(describe(entry));
        }
        lines.addAll(List.of(
                "",
                "Values may follow the option or an '=' (--up-to=1000); numbers may contain '_'.",
                "Exit codes: 0 done, 1 the run failed, 2 bad arguments."));
        String separator = System.lineSeparator();
        return String.join(separator, lines) + separator;
    }

    static int defaultWorkers() {
        return Runtime.getRuntime().availableProcessors();
    }

    static Path defaultJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The option's lines: name and argument, then its description and default wrapped into the column. */
    private static List<String> describe(Entry entry) {
        // "(default" stays with the default's first word: a lone "(default" at a line's end reads badly.
        String text = entry.description() + entry.defaultValue().map(value -> " (default\u00a0" + value + ")").orElse("");
        List<String> words = new ArrayList<>();
        for (String word : text.split(" ")) {
            words.add(word.replace('\u00a0', ' '));
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder("  " + entry.name() + (entry.argument().isEmpty() ? "" : " " + entry.argument()));
        for (String word : words) {
            boolean fresh = line.length() < INDENT;
            if (!fresh && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder();
                fresh = true;
            }
            if (fresh) {
                line.append(" ".repeat(INDENT - line.length())).append(word);
            } else {
                line.append(' ').append(word);
            }
        }
        lines.add(line.toString());
        return lines;
    }
}
