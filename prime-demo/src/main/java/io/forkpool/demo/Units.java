package io.forkpool.demo;

import java.util.Locale;

/**
 * Formats times and rates for people: latencies with three significant digits in the unit that
 * suits them ({@code 850 ns}, {@code 12.3 µs}, {@code 4.56 ms}, {@code 1.23 s}), durations as a
 * clock would ({@code 7s}, {@code 2m05s}, {@code 1h02m}). Always {@link Locale#ROOT}, so a
 * German locale does not turn {@code 1.23} into {@code 1,23} next to grouped thousands.
 *
 * @param micro the symbol for microseconds: {@code µs}, or {@code us} where stdout cannot print µ
 */
record Units(String micro) {

    /** For a UTF-8 (or Latin-1) stdout. */
    static final Units UNICODE = new Units("µs");
    /** For an ASCII stdout, e.g. a JVM started with {@code LANG=C}. */
    static final Units ASCII = new Units("us");

    /** @return {@link #UNICODE} if stdout's charset can print µ, else {@link #ASCII} */
    static Units forStdout() {
        return Terminal.encoding("stdout").newEncoder().canEncode('µ') ? UNICODE : ASCII;
    }

    /**
     * @param nanos a latency
     * @return it with three significant digits and a unit, e.g. {@code 45.6 ms}
     */
    String latency(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        // The bounds sit where three digits would round up to 1000 of the smaller unit.
        if (nanos < 999_500) {
            return significant(nanos / 1e3) + " " + micro;
        }
        if (nanos < 999_500_000) {
            return significant(nanos / 1e6) + " ms";
        }
        return significant(nanos / 1e9) + " s";
    }

    /**
     * @param nanos a duration, at least 0
     * @return whole seconds below a minute ({@code 7s}), then {@code 2m05s}, then {@code 1h02m}
     */
    static String clock(long nanos) {
        long seconds = Math.round(nanos / 1e9);
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    /**
     * @param nanos a duration, at least 0
     * @return it in seconds with one decimal, e.g. {@code 12.3s}
     */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }

    /**
     * @param perSecond a rate, at least 0
     * @return one decimal below 100 ({@code 15.2}), none above ({@code 1234})
     */
    static String rate(double perSecond) {
        return perSecond < 100 ? String.format(Locale.ROOT, "%.1f", perSecond)
                : String.format(Locale.ROOT, "%.0f", perSecond);
    }

    /** Three significant digits for a value from 1 to below 999.5. */
    private static String significant(double value) {
        if (value < 9.995) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (value < 99.95) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
