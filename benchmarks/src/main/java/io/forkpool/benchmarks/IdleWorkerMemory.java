package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import io.forkpool.WorkerPoolBuilder;
import io.forkpool.WorkerStats;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How much memory an idle worker JVM holds: the resident set of each worker of a pool of two,
 * read from {@code /proc/<pid>/status} ({@code VmRSS}, and its split into {@code RssAnon}, memory
 * only this process has, and {@code RssFile}, pages of mapped files: {@code libjvm.so}, the JDK's
 * {@code lib/modules}, a class-data archive), plus the proportional set size from
 * {@code /proc/<pid>/smaps_rollup} ({@code Pss}: file pages shared by several processes are
 * divided among them, so it is the fairer per-worker figure when workers share an archive). Linux
 * only.
 *
 * <p>For each configuration it starts a pool of 2 workers ({@code build()} returns once both are
 * ready; the time it took is printed), waits 2 s, runs 10 {@link NoOp} tasks, waits 2 s more and
 * reads the memory of each worker: that is the idle figure. It then counts the primes below
 * 2,000,000 in 20 {@link CountPrimes} tasks, prints how long that took (a C1-only JVM is slower
 * at some CPU work, which is what workers are for; trial division is bound by the divider, so it
 * hardly shows the difference, and 20 short tasks mostly time the JIT warming up: read it as a
 * smoke check, not a throughput figure) and reads the memory again. Each worker's JVM
 * options are read back from {@code /proc/<pid>/cmdline}, so they include what the runtime adds
 * ({@code -XX:+ExitOnOutOfMemoryError}, {@code -XX:SharedArchiveFile=...}).
 *
 * <p>Without arguments it measures the default options only. With {@code --compare} it measures,
 * one pool at a time: the defaults; defaults + {@code -XX:TieredStopAtLevel=1}; defaults +
 * {@code -Xss256k -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m}; defaults +
 * {@code -Xmx64m}; all of these together; defaults + {@code -Xms16m}; defaults +
 * {@code -XX:ArchiveRelocationMode=0} (diagnostic, to explain the figures, see below); and the
 * defaults with the class-data archive off ({@code classDataCache(null)}). Every configuration but the last runs with the pool's AppCDS
 * archive, recorded beforehand (by a throw-away pool) in a directory of its own under
 * {@code java.io.tmpdir}, so the user's cache is not touched and every configuration starts from
 * its own archive, as it would in use.
 *
 * <p>What to expect: some tens of MiB per idle worker, mostly anonymous memory. Options that cap
 * sizes ({@code -Xmx}, {@code MaxMetaspaceSize}, the code cache, thread stacks) change little at
 * idle, because only touched pages are resident. Without the archive the largest item is the
 * touched part of eden (start-up allocates some 20 MiB, and with the serial collector no page
 * once touched is given back before eden fills), so the archive, which spares most of that
 * allocation, saves more than any option. With it, the next largest item is the class-data
 * archives themselves: JDK 17 updates map them at a random address and relocate them
 * ({@code ArchiveRelocationMode=1}), so their pages count as private anonymous memory, not as
 * shared file pages.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -pl benchmarks -am -DskipTests package}),
 * with nothing else starting JVMs, since memory figures are per process but timings are not:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.forkpool.benchmarks.IdleWorkerMemory [--compare]
 * </pre>
 */
public final class IdleWorkerMemory {

    /** How long a pool is left alone before its memory is read: long enough for start-up work to settle. */
    private static final long IDLE_MILLIS = 2_000;

    /** Where the archives of this program's configurations go, one directory each. */
    private static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "forkpool-memory-benchmark");

    /** The figures of {@code /proc/<pid>/status} and {@code smaps_rollup} this program prints, in kB. */
    private static final List<String> FIELDS = List.of("VmRSS", "RssAnon", "RssFile", "RssShmem", "Pss");

    private IdleWorkerMemory() {
    }

    /** One configuration to measure: a name, the JVM options and whether to use an archive. */
    private record Config(String name, List<String> jvmOptions, boolean archive) {
    }

    /** What one configuration measured. */
    private record Result(Config config, long readyMillis, long primesMillis, List<Map<String, Long>> idle,
            List<Map<String, Long>> afterWork) {
    }

    /**
     * Measures the default worker options, or several option sets with {@code --compare}.
     *
     * @param args {@code --compare} to compare option sets
     * @throws Exception if a pool cannot be started or {@code /proc} cannot be read
     */
    public static void main(String[] args) throws Exception {
        // The pool's INFO lines would interleave with the table; warnings still show.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        boolean compare = List.of(args).contains("--compare");
        List<String> defaults = WorkerPoolBuilder.DEFAULT_JVM_OPTIONS;
        List<Config> configs = new ArrayList<>();
        configs.add(new Config("defaults", defaults, true));
        if (compare) {
            configs.add(new Config("+TieredStopAtLevel=1", plus(defaults, "-XX:TieredStopAtLevel=1"), true));
            configs.add(new Config("+Xss256k,CodeCache32m,Metaspace64m",
                    plus(defaults, "-Xss256k", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=64m"), true));
            configs.add(new Config("+Xmx64m", plus(defaults, "-Xmx64m"), true));
            configs.add(new Config("all of the above", plus(defaults, "-XX:TieredStopAtLevel=1", "-Xss256k",
                    "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=64m", "-Xmx64m"), true));
            // With the serial collector eden is a third of the initial heap (1/64 of RAM by default)
            // and a worker that never fills it keeps every page it touched resident: a small initial
            // heap bounds that (the heap still grows to -Xmx when a task needs it).
            configs.add(new Config("+Xms16m", plus(defaults, "-Xms16m"), true));
            // Not a candidate default (a diagnostic flag, and it gives up address randomisation of
            // the archives): JDK 17 updates map CDS archives at a random address and relocate them,
            // which dirties their pages into private anonymous memory. Mode 0 maps them where they
            // were dumped, so their read-only part stays clean, file-backed and shared between
            // workers. It shows how much of a worker's anonymous memory is relocated archive.
            configs.add(new Config("+ArchiveRelocationMode=0 (diagnostic)",
                    plus(defaults, "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"), true));
            configs.add(new Config("defaults, archive off", defaults, false));
        }
        System.out.println("java " + System.getProperty("java.vm.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs; default worker options " + defaults
                + " (the runtime adds -XX:+ExitOnOutOfMemoryError, and -XX:SharedArchiveFile once an archive exists)");

        // An archive is keyed by the class path's size and time, so a rebuilt jar needs new ones;
        // a stale one left here would pass for recorded while the workers start without it.
        deleteRecursively(CACHE);
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            Config config = configs.get(i);
            Path cache = config.archive ? CACHE.resolve("config-" + i) : null;
            if (cache != null) {
                recordArchive(config, cache);
            }
            results.add(measure(config, cache));
        }

        System.out.println();
        System.out.println("kB per worker (w0 / w1), idle = after start + 10 NoOp tasks + 2 s; after primes = "
                + "after 20 CountPrimes tasks (< 2,000,000)");
        System.out.printf("%-38s %8s %8s | %-15s %-15s %-15s %-15s | %-15s %-15s%n", "configuration", "ready ms",
                "prime ms", "idle VmRSS", "idle RssAnon", "idle RssFile", "idle Pss", "work VmRSS", "work Pss");
        for (Result r : results) {
            System.out.printf("%-38s %8d %8d | %-15s %-15s %-15s %-15s | %-15s %-15s%n", r.config.name, r.readyMillis,
                    r.primesMillis, pair(r.idle, "VmRSS"), pair(r.idle, "RssAnon"), pair(r.idle, "RssFile"),
                    pair(r.idle, "Pss"), pair(r.afterWork, "VmRSS"), pair(r.afterWork, "Pss"));
        }
    }

    private static Result measure(Config config, Path cache) throws Exception {
        System.out.println();
        System.out.println("== " + config.name + (cache == null ? " (no archive)" : " (archive in " + cache + ")"));
        long start = System.nanoTime();
        try (WorkerPool pool = WorkerPool.builder().name("memory").workers(2).jvmOptions(config.jvmOptions)
                .classDataCache(cache).build()) {
            long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            List<Long> pids = pool.stats().workers().stream().map(WorkerStats::pid).toList();
            Thread.sleep(IDLE_MILLIS);
            List<Integer> ones = Collections.nCopies(10, 1);
            if (!pool.invokeAll(NoOp.class, ones).equals(ones)) {
                throw new IllegalStateException("NoOp did not return its inputs");
            }
            Thread.sleep(IDLE_MILLIS);
            checkSameWorkers(pool, pids);
            List<Map<String, Long>> idle = new ArrayList<>();
            for (long pid : pids) {
                System.out.println("worker pid " + pid + " options " + jvmOptions(pid) + "; archives mapped "
                        + mappedArchives(pid));
                if (config.archive && mappedArchives(pid).stream().noneMatch(name -> name.startsWith("worker-"))) {
                    throw new IllegalStateException("worker " + pid + " did not map the pool's archive");
                }
                idle.add(memory(pid));
                System.out.println("  idle: " + idle.get(idle.size() - 1));
            }
            long primesStart = System.nanoTime();
            long primes = pool.invokeAll(CountPrimes.class, Range.chunks(2_000_000, 100_000)).stream()
                    .mapToLong(Long::longValue).sum();
            long primesMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - primesStart);
            if (primes != 148_933) {
                throw new IllegalStateException("counted " + primes + " primes below 2,000,000, expected 148,933");
            }
            checkSameWorkers(pool, pids);
            List<Map<String, Long>> afterWork = new ArrayList<>();
            for (long pid : pids) {
                afterWork.add(memory(pid));
                System.out.println("  pid " + pid + " after primes (" + primesMillis + " ms): "
                        + afterWork.get(afterWork.size() - 1));
            }
            return new Result(config, readyMillis, primesMillis, idle, afterWork);
        }
    }

    /**
     * Starts a throw-away pool of one worker so the runtime records the archive of this
     * configuration, and waits until the recorder has installed it: the measured pool then starts
     * from it, as every pool after the first does in use.
     */
    private static void recordArchive(Config config, Path cache) throws Exception {
        if (hasArchive(cache)) {
            return;
        }
        try (WorkerPool pool = WorkerPool.builder().name("record").workers(1).jvmOptions(config.jvmOptions)
                .classDataCache(cache).build()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!hasArchive(cache)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no archive recorded in " + cache + " within 2 minutes");
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean hasArchive(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return false;
        }
        try (Stream<Path> files = Files.list(cache)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            return names.stream().anyMatch(n -> n.endsWith(".jsa"))
                    && names.stream().noneMatch(n -> n.endsWith(".lock") || n.endsWith(".tmp"));
        }
    }

    /** A worker replaced during the run would make its figures a newcomer's: refuse them. */
    private static void checkSameWorkers(WorkerPool pool, List<Long> pids) {
        List<Long> now = pool.stats().workers().stream().map(WorkerStats::pid).toList();
        if (!now.equals(pids) || pids.contains(-1L)) {
            throw new IllegalStateException("workers changed during the run: " + pids + " -> " + now);
        }
    }

    /** The class-data archives a process has mapped: the JDK's {@code classes.jsa}, the pool's {@code worker-*.jsa}. */
    private static List<String> mappedArchives(long pid) throws IOException {
        try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
            return maps.filter(line -> line.endsWith(".jsa"))
                    .map(line -> Path.of(line.substring(line.indexOf('/'))).getFileName().toString())
                    .distinct().toList();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> all = Files.walk(directory)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The options between {@code java} and {@code -cp} on a worker's command line. */
    private static List<String> jvmOptions(long pid) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        List<String> arguments = List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
        List<String> options = new ArrayList<>();
        for (String argument : arguments.subList(1, arguments.size())) {
            if (argument.equals("-cp") || argument.equals("-classpath")) {
                break;
            }
            options.add(argument);
        }
        return options;
    }

    /** VmRSS, RssAnon, RssFile, RssShmem from {@code status} and Pss from {@code smaps_rollup}, in kB. */
    private static Map<String, Long> memory(long pid) throws IOException {
        Map<String, Long> kilobytes = new LinkedHashMap<>();
        Path proc = Path.of("/proc", Long.toString(pid));
        readKilobytes(proc.resolve("status"), kilobytes);
        Path rollup = proc.resolve("smaps_rollup");
        if (Files.isReadable(rollup)) { // Linux 4.14 and later
            readKilobytes(rollup, kilobytes);
        }
        kilobytes.keySet().retainAll(FIELDS);
        return kilobytes;
    }

    private static void readKilobytes(Path file, Map<String, Long> into) throws IOException {
        for (String line : Files.readAllLines(file)) {
            int colon = line.indexOf(':');
            if (colon > 0 && FIELDS.contains(line.substring(0, colon))) {
                String value = line.substring(colon + 1).trim();
                into.put(line.substring(0, colon), Long.parseLong(value.split("\\s+")[0]));
            }
        }
    }

    private static String pair(List<Map<String, Long>> workers, String field) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Long> worker : workers) {
            text.append(text.length() == 0 ? "" : " / ").append(worker.getOrDefault(field, -1L));
        }
        return text.toString();
    }

    private static List<String> plus(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }
}
