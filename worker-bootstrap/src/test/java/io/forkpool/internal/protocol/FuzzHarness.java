package io.forkpool.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.TestInfo;

/**
 * A small property-testing harness on plain JUnit 5 (no property-testing library).
 *
 * <p>Each case gets its own {@link SplittableRandom}, derived only from the base seed, the
 * property's name and the case index, so any single case can be replayed alone. Defaults are
 * deterministic; override them with system properties (Maven passes {@code -D} options through to
 * the test JVM):
 * <ul>
 *   <li>{@code -Dforkpool.fuzz.seed=0x1234} (or decimal): the base seed;</li>
 *   <li>{@code -Dforkpool.fuzz.cases=100000}: the number of cases of every property that asks
 *       {@link #cases(int)} (all but the short fixed list of hostile lengths);</li>
 *   <li>{@code -Dforkpool.fuzz.case=123}: run only that case index (to replay a failure).</li>
 * </ul>
 *
 * <p>A case that fails (an assertion, or any unexpected throwable) is reported with the property,
 * the seed, the case index, a command line that replays it, the case's notes and its input bytes in
 * hex (the full input is also written under {@code target/fuzz-failures/}). Every case must finish
 * within {@link #CASE_TIME_LIMIT_NANOS}; a case that never finishes is caught by a preemptive
 * timeout on the whole property, whose message names the case that was running.
 *
 * <p>Each property prints one summary line starting with {@code FUZZ:} — cases run, slowest case,
 * largest allocation measured in a case, and outcome counters.
 */
final class FuzzHarness {

    static final String SEED_PROPERTY = "forkpool.fuzz.seed";
    static final String CASES_PROPERTY = "forkpool.fuzz.cases";
    static final String ONLY_CASE_PROPERTY = "forkpool.fuzz.case";
    static final long DEFAULT_SEED = 0x466f726b506f6f6cL; // "ForkPool"

    /** No single case may take longer than this. */
    static final long CASE_TIME_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A whole property is abandoned (and the running case reported) after this long. */
    private static final Duration PROPERTY_TIME_LIMIT = Duration.ofSeconds(90);
    /** Inputs up to this size are shown in full in a failure message. */
    private static final int MAX_HEX_IN_MESSAGE = 16 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzHarness() {
    }

    /** One property's body, called once per case. */
    @FunctionalInterface
    interface Body {
        void check(SplittableRandom random, Case fuzzCase) throws Throwable;
    }

    /**
     * One case: the input it tried (for the failure message), free-form notes, and one measured
     * section ({@link #begin()} … {@link #end()}) whose time and thread allocation are recorded.
     */
    static final class Case {
        final int index;
        private final Map<String, Long> counters;
        byte[] input = new byte[0];
        final StringBuilder notes = new StringBuilder();
        private long startNanos;
        private long startAllocated;
        private long elapsedNanos;
        private long allocatedBytes;
        private boolean measured;

        Case(int index, Map<String, Long> counters) {
            this.index = index;
            this.counters = counters;
        }

        /** Records the input shown if the case fails. */
        void input(byte[] bytes) {
            input = bytes;
        }

        /** Adds a note shown if the case fails. */
        Case note(String text) {
            notes.append(text).append('\n');
            return this;
        }

        /** Counts an outcome for the summary line. */
        void count(String outcome) {
            count(outcome, 1);
        }

        /** Adds {@code n} to a counter for the summary line. */
        void count(String name, long n) {
            counters.merge(name, n, Long::sum);
        }

        /** Keeps the largest value seen under {@code name} for the summary line. */
        void max(String name, long value) {
            counters.merge(name, value, Math::max);
        }

        /** Starts the measured section: wall time and bytes allocated by this thread. */
        void begin() {
            startAllocated = THREADS.getCurrentThreadAllocatedBytes();
            startNanos = System.nanoTime();
        }

        /** Ends the measured section. Call once per case, after {@link #begin()}. */
        void end() {
            long now = System.nanoTime();
            long allocated = THREADS.getCurrentThreadAllocatedBytes();
            elapsedNanos += now - startNanos;
            allocatedBytes += allocated - startAllocated;
            measured = true;
        }

        /** @return bytes this thread allocated in the measured section(s) so far */
        long allocatedBytes() {
            return allocatedBytes;
        }
    }

    /** What a property run measured. */
    record Summary(String property, int cases, long slowestNanos, int slowestCase, long maxAllocatedBytes,
            int maxAllocatedCase, long totalNanos, Map<String, Long> counters) {

        String line() {
            return String.format(Locale.ROOT,
                    "FUZZ: %-26s cases=%d slowest_ms=%.3f (case %d) max_alloc_bytes=%d (case %d) total_ms=%d seed=0x%x %s",
                    property, cases, slowestNanos / 1e6, slowestCase, maxAllocatedBytes, maxAllocatedCase,
                    TimeUnit.NANOSECONDS.toMillis(totalNanos), seed(), counters);
        }
    }

    /** @return the base seed: {@code forkpool.fuzz.seed} or {@link #DEFAULT_SEED} */
    static long seed() {
        String value = System.getProperty(SEED_PROPERTY, "").trim();
        if (value.isEmpty()) {
            return DEFAULT_SEED;
        }
        if (value.startsWith("0x") || value.startsWith("0X")) {
            return Long.parseUnsignedLong(value.substring(2), 16);
        }
        return Long.parseLong(value);
    }

    /** @return the number of cases a property runs: {@code forkpool.fuzz.cases}, or its default */
    static int cases(int defaultCases) {
        String value = System.getProperty(CASES_PROPERTY, "").trim();
        return value.isEmpty() ? defaultCases : Integer.parseInt(value);
    }

    /**
     * The random source of one case: depends only on the seed, the property and the index.
     *
     * @param property the property's name
     * @param index the case index
     * @return a fresh generator
     */
    static SplittableRandom random(String property, int index) {
        long mixed = seed() ^ (property.hashCode() * 0x9E3779B97F4A7C15L) ^ ((index + 1L) * 0xBF58476D1CE4E5B9L);
        return new SplittableRandom(mixed);
    }

    /**
     * Runs a property: every case, or only {@code forkpool.fuzz.case} if set. Prints the
     * {@code FUZZ:} summary line.
     *
     * @param test the running test, for the replay command line
     * @param property a short name, part of every case's seed
     * @param cases how many cases to run, usually {@link #cases(int)}
     * @param body the property
     * @return the measurements
     */
    static Summary run(TestInfo test, String property, int cases, Body body) {
        if (THREADS.isThreadAllocatedMemorySupported() && !THREADS.isThreadAllocatedMemoryEnabled()) {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
        if (!THREADS.isThreadAllocatedMemoryEnabled()) {
            throw new AssertionError("this JVM cannot measure per-thread allocation; the allocation bounds would pass vacuously");
        }
        String only = System.getProperty(ONLY_CASE_PROPERTY, "").trim();
        int first = only.isEmpty() ? 0 : Integer.parseInt(only);
        int end = only.isEmpty() ? cases : first + 1;
        Map<String, Long> counters = new TreeMap<>();
        long[] slowest = {0, -1};
        long[] largest = {0, -1};
        Case[] current = new Case[1];
        long started = System.nanoTime();
        assertTimeoutPreemptively(PROPERTY_TIME_LIMIT, () -> {
            for (int i = first; i < end; i++) {
                Case fuzzCase = new Case(i, counters);
                current[0] = fuzzCase;
                long caseStart = System.nanoTime();
                try {
                    body.check(random(property, i), fuzzCase);
                } catch (Throwable failure) {
                    throw failure(test, property, fuzzCase, failure);
                }
                long elapsed = fuzzCase.measured ? fuzzCase.elapsedNanos : System.nanoTime() - caseStart;
                if (elapsed > CASE_TIME_LIMIT_NANOS) {
                    throw failure(test, property, fuzzCase, new AssertionError(String.format(Locale.ROOT,
                            "case took %.1f ms, limit %d ms", elapsed / 1e6,
                            TimeUnit.NANOSECONDS.toMillis(CASE_TIME_LIMIT_NANOS))));
                }
                if (elapsed > slowest[0]) {
                    slowest[0] = elapsed;
                    slowest[1] = i;
                }
                if (fuzzCase.measured && fuzzCase.allocatedBytes > largest[0]) {
                    largest[0] = fuzzCase.allocatedBytes;
                    largest[1] = i;
                }
            }
        }, () -> "property " + property + " did not finish within " + PROPERTY_TIME_LIMIT
                + "; the case running was:\n" + describe(test, property, current[0]));
        if (!only.isEmpty()) { // replaying one case: show what it was even though it passed
            System.out.println("FUZZ: replayed case (passed):\n" + describe(test, property, current[0]));
        }
        Summary summary = new Summary(property, end - first, slowest[0], (int) slowest[1], largest[0],
                (int) largest[1], System.nanoTime() - started, counters);
        System.out.println(summary.line());
        return summary;
    }

    private static AssertionError failure(TestInfo test, String property, Case fuzzCase, Throwable cause) {
        String dump = dumpInput(property, fuzzCase);
        AssertionError error = new AssertionError("property " + property + " failed: " + cause + "\n"
                + describe(test, property, fuzzCase) + (dump.isEmpty() ? "" : "full input written to " + dump + "\n"),
                cause);
        return error;
    }

    private static String describe(TestInfo test, String property, Case fuzzCase) {
        if (fuzzCase == null) {
            return "(no case started)";
        }
        String selector = test.getTestClass().map(Class::getSimpleName).orElse("?") + "#"
                + test.getTestMethod().map(m -> m.getName()).orElse("?");
        byte[] input = fuzzCase.input;
        String hex = hex(input, Math.min(input.length, MAX_HEX_IN_MESSAGE));
        return String.format(Locale.ROOT,
                "  property: %s%n  seed: 0x%x%n  case index: %d%n"
                        + "  replay: mvn -B -o -pl worker-bootstrap test -Dtest='%s' -D%s=0x%x -D%s=%d%n"
                        + "  notes:%n    %s%n  input (%d bytes): %s%s%n",
                property, seed(), fuzzCase.index, selector, SEED_PROPERTY, seed(), ONLY_CASE_PROPERTY,
                fuzzCase.index, fuzzCase.notes.toString().trim().replace("\n", "\n    "), input.length, hex,
                input.length > MAX_HEX_IN_MESSAGE ? " … (truncated; the seed and case index regenerate it)" : "");
    }

    private static String dumpInput(String property, Case fuzzCase) {
        try {
            Path dir = Path.of("target", "fuzz-failures");
            Files.createDirectories(dir);
            Path file = dir.resolve(String.format(Locale.ROOT, "%s-0x%x-%d.bin", property, seed(), fuzzCase.index));
            Files.write(file, fuzzCase.input);
            return file.toAbsolutePath().toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** @return the first {@code count} bytes as contiguous lowercase hex */
    static String hex(byte[] bytes, int count) {
        StringBuilder sb = new StringBuilder(count * 2);
        for (int i = 0; i < count; i++) {
            sb.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        return sb.toString();
    }
}
