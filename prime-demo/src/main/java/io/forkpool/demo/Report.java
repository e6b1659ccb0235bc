package io.forkpool.demo;

import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import io.forkpool.cluster.MemberStats;
import java.util.List;
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
 *
 * <p>In a cluster the workers belong to the members, which count them, their restarts and their
 * crashes; the client sees tasks per member, so the worker table becomes a member table:
 *
 * <pre>
 * mode cluster: 2 members, 3 worker JVMs, 200 tasks of up to 100,000 numbers
 * wall time 6,410 ms, connected after 420 ms
 *
 * member          workers    tasks   lost  present
 * 127.0.0.1:5701        2      134      0  yes
 * 127.0.0.1:5702        1       66      0  yes
 * tasks 200 succeeded, 0 failed, 0 retried; 0 lost with their member
 * </pre>
 */
final class Report {

    private Report() {
    }

    /**
     * The summary: count, mode, times and, for a pool run, its workers (a cluster's: its members),
     * task outcomes and latencies.
     *
     * @param options the command line
     * @param result what the run measured
     * @param units how to write microseconds on this stdout
     * @return several lines, each ending with a line separator
     */
    static String text(DemoOptions options, RunResult result, Units units) {
        String runners = switch (options.mode()) {
            case POOL -> count(options.workers(), "worker JVM");
            case IN_PROCESS -> count(options.workers(), "thread");
            case CLUSTER -> count(result.members().size(), "member") + ", "
                    + count(result.memberWorkers(), "worker JVM");
        };
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%,d primes below %,d%n"
                + "mode %s: %s, %,d %s of up to %,d numbers%n"
                + "wall time %,d ms, %s after %,d ms%n",
                result.count(), options.upTo(),
                options.mode().label(), runners, result.tasks(), plural(result.tasks(), "task"), options.chunk(),
                result.wallMillis(), options.mode() == RunMode.CLUSTER ? "connected" : "ready", result.readyMillis()));
        result.stats().ifPresent(stats -> {
            text.append(System.lineSeparator());
            if (options.mode() == RunMode.CLUSTER) {
                members(text, result.members(), stats);
            } else {
                workers(text, stats);
            }
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

    /** One row per member seen during the run, in the order the pool first saw them; column one fits the addresses. */
    private static void members(StringBuilder text, List<MemberStats> members, PoolStats stats) {
        int width = Math.max("member".length(), members.stream().mapToInt(m -> m.address().length()).max().orElse(0));
        String header = "%-" + width + "s %8s %8s %6s  %s%n";
        text.append(String.format(Locale.ROOT, header, "member", "workers", "tasks", "lost", "present"));
        for (MemberStats member : members) {
            text.append(String.format(Locale.ROOT, "%-" + width + "s %8d %,8d %,6d  %s%n", member.address(),
                    member.workers(), member.tasksCompleted(), member.tasksLost(), member.present() ? "yes" : "no"));
        }
        text.append(String.format(Locale.ROOT,
                "tasks %,d succeeded, %,d failed, %,d retried; %,d lost with their member%n", stats.succeeded(),
                stats.failed() + stats.timedOut() + stats.cancelled(), stats.retried(),
                members.stream().mapToLong(MemberStats::tasksLost).sum()));
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

    /** {@code 1 member}, {@code 3 worker JVMs}. */
    private static String count(long count, String noun) {
        return count + " " + plural(count, noun);
    }

    private static String plural(long count, String noun) {
        return count == 1 ? noun : noun + "s";
    }
}
