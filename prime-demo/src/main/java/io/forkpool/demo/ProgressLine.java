package io.forkpool.demo;

import java.util.Locale;

/**
 * Draws {@link ProgressFigures} as text: a bar line for a terminal and plain lines for logs.
 * Pure functions of the figures, so every shape is unit-tested.
 *
 * <pre>
 * [###---------]  31%   62/200 tasks   14.9/s  ETA 9s     2/2 workers  0 restarts
 * primes: 62/200 tasks (31%), 14.9 tasks/s, ETA 9s, workers 2/2 alive, 0 restarts, 8.2s elapsed
 * </pre>
 *
 * <p>In a cluster the workers part says {@code 2 members  3 workers} ({@code 2 members, 3 workers}):
 * the members present and their worker JVMs, since their workers' restarts are theirs to count.
 */
final class ProgressLine {

    /** The bar is dropped rather than drawn narrower than this. */
    static final int MIN_BAR = 10;
    /** A wider bar tells nothing more. */
    static final int MAX_BAR = 30;
    /** Every plain line starts so, like the demo's error lines, to be found with grep. */
    static final String PLAIN_PREFIX = "primes: ";

    private ProgressLine() {
    }

    /**
     * The live line: a bar and the figures, shortened to fit the terminal.
     *
     * @param figures what to show
     * @param columns the terminal's width; the line stays below it, since a line that wraps
     *     cannot be redrawn in place
     * @return one line without line separator, shorter than {@code columns}
     */
    static String bar(ProgressFigures figures, int columns) {
        if (!figures.started()) {
            return clip(waitingFor(figures) + "... " + Units.seconds(figures.elapsedNanos()), columns);
        }
        // Figures padded to fixed widths, so the line keeps its length and the bar stays put as they change.
        int digits = String.valueOf(figures.total()).length();
        String text = String.format(Locale.ROOT, "%4d%%  %" + digits + "d/%d tasks  %5s/s  ETA %-6s %s",
                figures.percent(), figures.done(), figures.total(), Units.rate(figures.tasksPerSecond()),
                eta(figures), workersShort(figures));
        int room = columns - 1 - text.length() - 2;
        if (room < MIN_BAR) {
            return clip(text.strip(), columns);
        }
        int width = Math.min(room, MAX_BAR);
        int filled = (int) (width * (long) figures.percent() / 100);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]" + text;
    }

    /**
     * A line for logs, written every few seconds while the run goes and once when it has finished.
     *
     * @param figures what to show
     * @return one line without line separator, starting with {@link #PLAIN_PREFIX}
     */
    static String plain(ProgressFigures figures) {
        if (!figures.started()) {
            return PLAIN_PREFIX + waitingFor(figures) + ", " + Units.seconds(figures.elapsedNanos()) + " elapsed";
        }
        String counts = String.format(Locale.ROOT, "%d/%d tasks (%d%%)", figures.done(), figures.total(),
                figures.percent());
        String rate = Units.rate(figures.tasksPerSecond()) + " tasks/s";
        if (figures.finished()) {
            return PLAIN_PREFIX + counts + " done in " + Units.seconds(figures.batchNanos()) + ", " + rate + ", "
                    + workersLong(figures);
        }
        return PLAIN_PREFIX + counts + ", " + rate + ", ETA " + eta(figures) + ", " + workersLong(figures) + ", "
                + Units.seconds(figures.elapsedNanos()) + " elapsed";
    }

    /** What the run does before its tasks are handed over. */
    private static String waitingFor(ProgressFigures figures) {
        return switch (figures.mode()) {
            case POOL -> "starting " + count(figures.workers(), "worker JVM");
            case IN_PROCESS -> "starting " + count(figures.workers(), "thread");
            case CLUSTER -> "connecting to the cluster";
        };
    }

    private static String eta(ProgressFigures figures) {
        return figures.etaNanos().isPresent() ? Units.clock(figures.etaNanos().getAsLong()) : "--";
    }

    private static String workersShort(ProgressFigures figures) {
        return switch (figures.mode()) {
            case POOL -> figures.workersAlive() + "/" + figures.workers() + " workers  "
                    + count(figures.restarts(), "restart");
            case IN_PROCESS -> count(figures.workers(), "thread");
            case CLUSTER -> count(figures.members(), "member") + "  " + count(figures.workersAlive(), "worker");
        };
    }

    private static String workersLong(ProgressFigures figures) {
        return switch (figures.mode()) {
            case POOL -> "workers " + figures.workersAlive() + "/" + figures.workers() + " alive, "
                    + count(figures.restarts(), "restart");
            case IN_PROCESS -> count(figures.workers(), "thread");
            case CLUSTER -> count(figures.members(), "member") + ", " + count(figures.workersAlive(), "worker");
        };
    }

    /** {@code 1 thread}, {@code 2 threads}. */
    private static String count(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String clip(String line, int columns) {
        return line.length() < columns ? line : line.substring(0, Math.max(0, columns - 1));
    }
}
