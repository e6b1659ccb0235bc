package io.forkpool.demo;

import io.forkpool.examples.Range;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The demo's command line, parsed and validated. {@link #parse} is the only place that reads
 * arguments, so every rule about them can be tested without starting a process.
 *
 * @param upTo count the primes below this number
 * @param chunk how many consecutive numbers one task covers
 * @param workers how many worker JVMs (or, in-process, threads) run the tasks
 * @param inProcess run the tasks on threads of this JVM instead of worker JVMs
 * @param json print the result as one JSON object instead of a summary
 * @param maxAttempts how many times a task may run when its worker dies under it (the pool's retry policy)
 * @param java the workers' {@code java} executable, or empty for the pool's default
 * @param help print the usage and do nothing else
 */
public record DemoOptions(long upTo, long chunk, int workers, boolean inProcess, boolean json,
        int maxAttempts, Optional<Path> java, boolean help) {

    /** Default of {@code --up-to}. */
    public static final long DEFAULT_UP_TO = 10_000_000L;
    /** Default of {@code --chunk}. */
    public static final long DEFAULT_CHUNK = 100_000L;
    /** Default of {@code --max-attempts}: the pool's own default. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** The most workers a pool accepts ({@code WorkerPoolBuilder.workers}). */
    public static final int MAX_WORKERS = 4096;
    /** The most tasks one run may create; every task's range is held in memory at once. */
    public static final long MAX_TASKS = 1_000_000L;

    /**
     * Creates options as given; range checks with user-facing messages live in {@link #parse}.
     *
     * @param upTo count the primes below this number
     * @param chunk how many consecutive numbers one task covers
     * @param workers how many worker JVMs (or, in-process, threads) run the tasks
     * @param inProcess run the tasks on threads of this JVM instead of worker JVMs
     * @param json print the result as one JSON object instead of a summary
     * @param maxAttempts how many times a task may be tried
     * @param java the workers' {@code java} executable, or empty for the pool's default
     * @param help print the usage and do nothing else
     */
    public DemoOptions {
        Objects.requireNonNull(java, "java");
    }

    /** @return the number of tasks {@link Range#chunks} makes of these options */
    public long tasks() {
        return upTo / chunk + (upTo % chunk == 0 ? 0 : 1);
    }

    /**
     * Parses the command line. {@code --help} (or {@code -h}) anywhere wins over everything else,
     * so a user can always get the usage. An option given twice keeps its last value. Values go
     * in the next argument or after {@code =}; numbers may contain underscores ({@code 10_000_000}).
     *
     * <p>{@code --max-attempts} goes to the pool's retry policy ({@code WorkerPoolBuilder.maxAttempts}).
     *
     * @param args the arguments of {@code main}
     * @return the options, with the defaults for anything not given
     * @throws UsageException if an argument is unknown, lacks its value or has a bad one
     */
    public static DemoOptions parse(List<String> args) throws UsageException {
        if (args.contains("--help") || args.contains("-h")) {
            return new DemoOptions(DEFAULT_UP_TO, DEFAULT_CHUNK, defaultWorkers(), false, false,
                    DEFAULT_MAX_ATTEMPTS, Optional.empty(), true);
        }
        long upTo = DEFAULT_UP_TO;
        long chunk = DEFAULT_CHUNK;
        int workers = defaultWorkers();
        boolean inProcess = false;
        boolean json = false;
        int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        Optional<Path> java = Optional.empty();
        ArgCursor cursor = new ArgCursor(args);
        while (cursor.hasNext()) {
            String option = cursor.nextOption();
            switch (option) {
                case "--up-to" -> upTo = longAtLeast(option, cursor.value(option), 0);
                case "--chunk" -> chunk = longAtLeast(option, cursor.value(option), 1);
                case "--workers" -> workers = intBetween(option, cursor.value(option), 1, MAX_WORKERS);
                case "--max-attempts" -> maxAttempts = intBetween(option, cursor.value(option), 1, 100);
                case "--java" -> java = Optional.of(path(option, cursor.value(option)));
                case "--in-process" -> inProcess = cursor.flag(option);
                case "--json" -> json = cursor.flag(option);
                default -> throw new UsageException(option.startsWith("-")
                        ? "unknown option " + option
                        : "unexpected argument '" + option + "'");
            }
        }
        DemoOptions options = new DemoOptions(upTo, chunk, workers, inProcess, json, maxAttempts, java, false);
        if (options.tasks() > MAX_TASKS) {
            throw new UsageException("--up-to " + upTo + " in chunks of " + chunk + " makes " + options.tasks()
                    + " tasks, more than " + MAX_TASKS + "; use a larger --chunk");
        }
        return options;
    }

    /**
     * The text {@code --help} prints: every option with its default.
     *
     * @return the usage, several lines ending with a line separator
     */
    public static String usage() {
        return String.join(System.lineSeparator(),
                "usage: java -jar primes.jar [options]",
                "Counts the primes below N by trial division, in tasks of C consecutive numbers,",
                "on a pool of worker JVMs (or, with --in-process, on threads of this JVM).",
                "",
                "  --up-to N          count the primes below N, N >= 0 (default " + DEFAULT_UP_TO + ")",
                "  --chunk C          numbers per task, C >= 1 (default " + DEFAULT_CHUNK + ")",
                "  --workers W        worker JVMs, or threads with --in-process, 1.." + MAX_WORKERS
                        + " (default " + defaultWorkers() + ", the available processors)",
                "  --in-process       run the same tasks on a ForkJoinPool of W threads in this JVM",
                "                     (default: off, use worker JVMs)",
                "  --java PATH        java executable of the workers (default "
                        + Path.of(System.getProperty("java.home"), "bin", "java") + ")",
                "  --max-attempts K   attempts per task, K >= 1 (default " + DEFAULT_MAX_ATTEMPTS + ")",
                "  --json             print the result as one JSON object on the last line of stdout",
                "                     (default: off, print a summary)",
                "  --help             print this help and exit",
                "",
                "Values may follow the option or an '=' (--up-to=1000); numbers may contain '_' (10_000_000).",
                "");
    }

    private static int defaultWorkers() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static long longAtLeast(String option, String value, long min) throws UsageException {
        long number = number(option, value);
        if (number < min) {
            throw new UsageException(option + " must be at least " + min + ", got " + value);
        }
        return number;
    }

    private static int intBetween(String option, String value, int min, int max) throws UsageException {
        long number = number(option, value);
        if (number < min || number > max) {
            throw new UsageException(option + " must be " + (max == Integer.MAX_VALUE
                    ? "at least " + min
                    : "between " + min + " and " + max) + ", got " + value);
        }
        return (int) number;
    }

    private static long number(String option, String value) throws UsageException {
        // Underscores only between digits, as in Java literals, so "_" or "1__" stay errors.
        if (!value.matches("[+-]?\\d+(_+\\d+)*")) {
            throw new UsageException(option + " needs a whole number, got '" + value + "'");
        }
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(option + " is out of range: " + value);
        }
    }

    private static Path path(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " needs a path, got an empty value");
        }
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(option + " is not a valid path: " + e.getMessage());
        }
    }
}
