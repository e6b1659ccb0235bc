package io.forkpool.demo;

import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import java.util.Locale;

/**
 * Renders a {@link RunResult} as the summary a person reads; {@link JsonReport} renders it for
 * scripts. Numbers are grouped with commas whatever the locale.
 *
 * <pre>
 * 1,270,607 primes below 20,000,000
 * mode pool: 2 worker JVMs, 200 tasks of up to 100,000 numbers
 * wall time 9,182 ms, ready after 2,310 ms
 *
 * worker      pid    tasks  restarts  last exit
 *      0    41234      101         0  -
 *      1    41240       99         0  -
 * tasks 200 succeeded, 0 failed, 0 retried; worker crashes 0, restarts 0
 *
 * latency          p50       p90       p99       max
 * round trip     3.41 s    6.12 s    6.71 s    6.78 s
 * queue wait     3.37 s    6.07 s    6.67 s    6.74 s
 * execution     33.8 ms   45.2 ms   51.0 ms   52.3 ms
 * </pre>
 */
final class Report {

    private Report() {
    }

    static String mode(DemoOptions options) {
        return options.inProcess() ? "in-process" : "pool";
    }

    /**
     * The summary: count, mode, times and, for a pool run, its workers, task outcomes and latencies.
     *
     * @param options the command line
     * @param result what the run measured
     * @param units how to write microseconds on this stdout
     * @return several lines, each ending with a line separator
     */
    static String text(DemoOptions options, RunResult result, Units units) {
        String unit = options.inProcess() ? plural(options.workers(), "thread") : plural(options.workers(), "worker JVM");
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%,d primes below %,d%n"
                + "mode %s: %d %s, %,d %s of up to %,d numbers%n"
                + "wall time %,d ms, ready after %,d ms%n",
                result.count(), options.upTo(),
                mode(options), options.workers(), unit, result.tasks(), plural(result.tasks(), "task"), options.chunk(),
                result.wallMillis(), result.readyMillis()));
        result.stats().ifPresent(stats -> {
            text.append(System.lineSeparator());
            workers(text, stats);
            text.append(System.lineSeparator());
            latencies(text, stats, units);
        });
        return text.toString();
    }

    /** One row per worker slot; the pid is the slot's last process. */
    private static void workers(StringBuilder text, PoolStats stats) {
        text.append(String.format(Locale.ROOT, "%-6s %9s %8s %9s  %s%n", "worker", "pid", "tasks", "restarts",
                "last exit"));
        for (WorkerStats worker : stats.workers()) {
            text.append(String.format(Locale.ROOT, "%6d %9d %,8d %9d  %s%n", worker.workerId(), worker.pid(),
                    worker.tasksCompleted(), worker.restarts(),
                    worker.lastExitCause().map(cause -> cause.name().toLowerCase(Locale.ROOT)).orElse("-")));
        }
        text.append(String.format(Locale.ROOT,
                "tasks %,d succeeded, %,d failed, %,d retried; worker crashes %,d, restarts %,d%n",
                stats.succeeded(), stats.failed() + stats.timedOut() + stats.cancelled(), stats.retried(),
                stats.crashes(), stats.workerRestarts()));
    }

    private static void latencies(StringBuilder text, PoolStats stats, Units units) {
        text.append(String.format(Locale.ROOT, "%-10s %10s %10s %10s %10s%n", "latency", "p50", "p90", "p99", "max"));
        latency(text, "round trip", stats.roundTrip(), units);
        latency(text, "queue wait", stats.queueWait(), units);
        latency(text, "execution", stats.execution(), units);
    }

    private static void latency(StringBuilder text, String name, LatencyStats latency, Units units) {
        text.append(String.format(Locale.ROOT, "%-10s %10s %10s %10s %10s%n", name, units.latency(latency.p50Nanos()),
                units.latency(latency.p90Nanos()), units.latency(latency.p99Nanos()),
                units.latency(latency.maxNanos())));
    }

    private static String plural(long count, String noun) {
        return count == 1 ? noun : noun + "s";
    }
}
