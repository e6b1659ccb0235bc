package io.forkpool.demo;

import io.forkpool.examples.Range;
import java.nio.file.Files;
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
 * @param progress how progress is shown on stderr
 * @param help print the usage and do nothing else
 */
public record DemoOptions(long upTo, long chunk, int workers, boolean inProcess, boolean json,
        int maxAttempts, Optional<Path> java, ProgressMode progress, boolean help) {

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
     * @param progress how progress is shown on stderr
     * @param help print the usage and do nothing else
     */
    public DemoOptions {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(progress, "progress");
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
     * A {@code --chunk} above {@code --up-to} is allowed: it makes one task of the whole range.
     *
     * @param args the arguments of {@code main}
     * @return the options, with the defaults for anything not given
     * @throws UsageException if an argument is unknown, lacks its value or has a bad one
     */
    public static DemoOptions parse(List<String> args) throws UsageException {
        if (args.contains("--help") || args.contains("-h")) {
            return new DemoOptions(DEFAULT_UP_TO, DEFAULT_CHUNK, Usage.defaultWorkers(), false, false,
                    DEFAULT_MAX_ATTEMPTS, Optional.empty(), ProgressMode.AUTO, true);
        }
        long upTo = DEFAULT_UP_TO;
        long chunk = DEFAULT_CHUNK;
        int workers = Usage.defaultWorkers();
        boolean inProcess = false;
        boolean json = false;
        int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        Optional<Path> java = Optional.empty();
        ProgressMode progress = ProgressMode.AUTO;
        ArgCursor cursor = new ArgCursor(args);
        while (cursor.hasNext()) {
            String option = cursor.nextOption();
            switch (option) {
                case "--up-to" -> upTo = longAtLeast(option, cursor.value(option), 0);
                case "--chunk" -> chunk = longAtLeast(option, cursor.value(option), 1);
                case "--workers" -> workers = intBetween(option, cursor.value(option), 1, MAX_WORKERS);
                case "--max-attempts" -> maxAttempts = intBetween(option, cursor.value(option), 1, 100);
                case "--java" -> java = Optional.of(executable(option, cursor.value(option)));
                case "--progress" -> progress = ProgressMode.parse(option, cursor.value(option));
                case "--in-process" -> inProcess = cursor.flag(option);
                case "--json" -> json = cursor.flag(option);
                // Reached only as "--help=x": a plain --help was seen before the loop.
                case "--help" -> cursor.flag(option);
                default -> throw new UsageException(option.startsWith("-")
                        ? "unknown option " + option
                        : "unexpected argument '" + option + "'");
            }
        }
        DemoOptions options = new DemoOptions(upTo, chunk, workers, inProcess, json, maxAttempts, java, progress,
                false);
        if (options.tasks() > MAX_TASKS) {
            throw new UsageException("--up-to " + upTo + " in chunks of " + chunk + " makes " + options.tasks()
                    + " tasks, more than " + MAX_TASKS + "; use a larger --chunk");
        }
        return options;
    }

    /**
     * The text {@code --help} prints: every option with its default.
     *
     * @return the usage, several lines each ending with a line separator
     */
    public static String usage() {
        return Usage.text();
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

    /**
     * A path names a file that must be there now: failing at once with exit code 2 beats failing
     * after the pool's start-up with 1. A bare name ({@code java}, {@code java21}) is looked up on
     * the PATH when a worker starts, so it is left to the pool.
     */
    private static Path executable(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " needs a path, got an empty value");
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(option + " is not a valid path: " + e.getMessage());
        }
        if (path.getNameCount() > 1 || path.isAbsolute()) {
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new UsageException(option + " " + value + " is not an executable file");
            }
        }
        return path;
    }
}
