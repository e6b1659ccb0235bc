package io.forkpool.demo;

import io.forkpool.examples.Range;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The demo's command line, parsed and validated. {@link #parse} is the only place that reads
 * arguments, so every rule about them can be tested without starting a process.
 *
 * @param upTo count the primes below this number
 * @param chunk how many consecutive numbers one task covers
 * @param workers how many worker JVMs (or, in-process, threads) run the tasks; unused with a cluster
 * @param inProcess run the tasks on threads of this JVM instead of worker JVMs
 * @param cluster the forkpool nodes to reach a cluster through, {@code host:port} each, or empty to
 *     run on this machine
 * @param json print the result as one JSON object instead of a summary
 * @param maxAttempts how many times a task may run when its worker dies under it (the pool's retry policy)
 * @param java the workers' {@code java} executable, or empty for the pool's default
 * @param progress how progress is shown on stderr
 * @param help print the usage and do nothing else
 */
public record DemoOptions(long upTo, long chunk, int workers, boolean inProcess, List<String> cluster,
        boolean json, int maxAttempts, Optional<Path> java, ProgressMode progress, boolean help) {

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
     * The options that choose or configure what runs on this machine, each with why it cannot go
     * with {@code --cluster}: there the nodes were started with their own worker count and java.
     */
    private static final Map<String, String> NOT_WITH_CLUSTER = Map.of(
            "--in-process", "--in-process and --cluster are two different modes; choose one",
            "--workers", "--workers cannot be used with --cluster: each node runs the workers it was started with",
            "--java", "--java cannot be used with --cluster: each node starts its workers with its own java");

    /**
     * Creates options as given; range checks with user-facing messages live in {@link #parse}.
     *
     * @param upTo count the primes below this number
     * @param chunk how many consecutive numbers one task covers
     * @param workers how many worker JVMs (or, in-process, threads) run the tasks
     * @param inProcess run the tasks on threads of this JVM instead of worker JVMs
     * @param cluster the forkpool nodes to reach a cluster through, or empty; copied
     * @param json print the result as one JSON object instead of a summary
     * @param maxAttempts how many times a task may be tried
     * @param java the workers' {@code java} executable, or empty for the pool's default
     * @param progress how progress is shown on stderr
     * @param help print the usage and do nothing else
     */
    public DemoOptions {
        cluster = List.copyOf(cluster);
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(progress, "progress");
    }

    /** @return where the tasks run: a cluster if one was named, else threads or a local pool */
    RunMode mode() {
        if (!cluster.isEmpty()) {
            return RunMode.CLUSTER;
        }
        return inProcess ? RunMode.IN_PROCESS : RunMode.POOL;
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
     * {@code --cluster} refuses the options about this machine's workers, wherever they stand,
     * rather than ignore them: a user who gave them expects them to matter.
     *
     * @param args the arguments of {@code main}
     * @return the options, with the defaults for anything not given
     * @throws UsageException if an argument is unknown, lacks its value or has a bad one
     */
    public static DemoOptions parse(List<String> args) throws UsageException {
        if (args.contains("--help") || args.contains("-h")) {
            return new DemoOptions(DEFAULT_UP_TO, DEFAULT_CHUNK, Usage.defaultWorkers(), false, List.of(), false,
                    DEFAULT_MAX_ATTEMPTS, Optional.empty(), ProgressMode.AUTO, true);
        }
        long upTo = DEFAULT_UP_TO;
        long chunk = DEFAULT_CHUNK;
        int workers = Usage.defaultWorkers();
        boolean inProcess = false;
        List<String> cluster = List.of();
        boolean json = false;
        int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        Optional<Path> java = Optional.empty();
        ProgressMode progress = ProgressMode.AUTO;
        Set<String> given = new LinkedHashSet<>();
        ArgCursor cursor = new ArgCursor(args);
        while (cursor.hasNext()) {
            String option = cursor.nextOption();
            given.add(option);
            switch (option) {
                case "--up-to" -> upTo = longAtLeast(option, cursor.value(option), 0);
                case "--chunk" -> chunk = longAtLeast(option, cursor.value(option), 1);
                case "--workers" -> workers = intBetween(option, cursor.value(option), 1, MAX_WORKERS);
                case "--max-attempts" -> maxAttempts = intBetween(option, cursor.value(option), 1, 100);
                case "--java" -> java = Optional.of(executable(option, cursor.value(option)));
                case "--progress" -> progress = ProgressMode.parse(option, cursor.value(option));
                case "--in-process" -> inProcess = cursor.flag(option);
                case "--cluster" -> cluster = addresses(option, cursor.value(option));
                case "--json" -> json = cursor.flag(option);
                // Reached only as "--help=x": a plain --help was seen before the loop.
                case "--help" -> cursor.flag(option);
                default -> throw new UsageException(option.startsWith("-")
                        ? "unknown option " + option
                        : "unexpected argument '" + option + "'");
            }
        }
        if (!cluster.isEmpty()) {
            for (String option : given) {
                if (NOT_WITH_CLUSTER.containsKey(option)) {
                    throw new UsageException(NOT_WITH_CLUSTER.get(option));
                }
            }
        }
        DemoOptions options = new DemoOptions(upTo, chunk, workers, inProcess, cluster, json, maxAttempts, java,
                progress, false);
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
     * Checks {@code HOST:PORT[,HOST:PORT...]} here rather than leaving it to the cluster client, so
     * a typo fails at once with exit code 2 instead of after a connection attempt. An IPv6 host
     * goes in brackets ({@code [::1]:5701}), so its own colons are not taken for the port's.
     */
    private static List<String> addresses(String option, String value) throws UsageException {
        List<String> addresses = new ArrayList<>();
        for (String entry : value.split(",", -1)) {
            String address = entry.strip();
            int colon = address.lastIndexOf(':');
            String host = colon < 0 ? "" : address.substring(0, colon);
            String port = colon < 0 ? "" : address.substring(colon + 1);
            if (!host.matches("[^\\s:\\[\\]]+|\\[[^\\s\\[\\]]+\\]") || !port.matches("\\d+")) {
                throw new UsageException(option + " needs HOST:PORT, got '" + address + "'");
            }
            if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new UsageException(option + " port must be between 1 and 65535, got '" + address + "'");
            }
            addresses.add(address);
        }
        return List.copyOf(addresses);
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
