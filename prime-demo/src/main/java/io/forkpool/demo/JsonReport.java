package io.forkpool.demo;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import io.forkpool.cluster.MemberStats;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a {@link RunResult} as one line of JSON for scripts. The top-level fields are a
 * contract that scripts read ({@code count}, {@code wallMillis}, {@code readyMillis},
 * {@code workerPids}, {@code tasksPerWorker}, {@code restarts}...): fields may be added, none
 * renamed. A pool run adds {@code stats}, its {@link PoolStats} with the unit in every time's name:
 *
 * <pre>{@code
 * "stats": {"workers": [{"id": 0, "pid": 41234, "tasks": 101, "restarts": 0, "lastExitCause": null}, ...],
 *           "submitted": 200, "succeeded": 200, "failed": 0, "timedOut": 0, "cancelled": 0,
 *           "retried": 0, "crashes": 0, "workerRestarts": 0, "workerExits": {},
 *           "roundTrip": {"count": 200, "p50Micros": ..., "p90Micros": ..., "p99Micros": ...,
 *                         "p999Micros": ..., "maxMicros": ...},
 *           "queueWait": {...}, "execution": {...}}
 * }</pre>
 *
 * <p>A cluster run ({@code "mode": "cluster"}) counts its members' worker JVMs in {@code workers};
 * {@code workerPids}, {@code tasksPerWorker} and the stats' {@code workers} are empty, as the
 * workers belong to the members, which count them. It adds the addresses as given and what each
 * member did for this run, in the order the pool first saw them:
 *
 * <pre>{@code
 * "cluster": ["10.0.0.1:5701", "10.0.0.2:5701"],
 * "members": [{"address": "10.0.0.1:5701", "uuid": "5f0c...", "workers": 2, "tasks": 134, "chunks": 21,
 *              "lost": 0, "present": true}, ...]
 * }</pre>
 */
final class JsonReport {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonReport() {
    }

    /**
     * @param options the command line
     * @param result what the run measured
     * @return one line, no trailing newline
     */
    static String json(DemoOptions options, RunResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("upTo", options.upTo());
        root.put("count", result.count());
        root.put("mode", options.mode().label());
        root.put("workers", options.mode() == RunMode.CLUSTER ? result.memberWorkers() : options.workers());
        root.put("chunk", options.chunk());
        root.put("tasks", result.tasks());
        root.put("maxAttempts", options.maxAttempts());
        root.put("wallMillis", result.wallMillis());
        root.put("readyMillis", result.readyMillis());
        result.workerPids().forEach(root.putArray("workerPids")::add);
        result.tasksPerWorker().forEach(root.putArray("tasksPerWorker")::add);
        root.put("restarts", result.restarts());
        options.java().ifPresent(java -> root.put("java", java.toString()));
        if (options.mode() == RunMode.CLUSTER) {
            options.cluster().forEach(root.putArray("cluster")::add);
            members(root.putArray("members"), result);
        }
        result.stats().ifPresent(stats -> stats(root.putObject("stats"), stats));
        return MAPPER.writeValueAsString(root);
    }

    private static void members(ArrayNode members, RunResult result) {
        for (MemberStats member : result.members()) {
            ObjectNode entry = members.addObject();
            entry.put("address", member.address());
            entry.put("uuid", member.uuid());
            entry.put("workers", member.workers());
            entry.put("tasks", member.tasksCompleted());
            entry.put("chunks", member.chunksCompleted());
            entry.put("lost", member.tasksLost());
            entry.put("present", member.present());
        }
    }

    private static void stats(ObjectNode node, PoolStats stats) {
        ArrayNode workers = node.putArray("workers");
        for (WorkerStats worker : stats.workers()) {
            ObjectNode entry = workers.addObject();
            entry.put("id", worker.workerId());
            entry.put("pid", worker.pid());
            entry.put("tasks", worker.tasksCompleted());
            entry.put("restarts", worker.restarts());
            worker.lastExitCause().ifPresentOrElse(cause -> entry.put("lastExitCause", cause.name()),
                    () -> entry.putNull("lastExitCause"));
        }
        node.put("submitted", stats.submitted());
        node.put("succeeded", stats.succeeded());
        node.put("failed", stats.failed());
        node.put("timedOut", stats.timedOut());
        node.put("cancelled", stats.cancelled());
        node.put("retried", stats.retried());
        node.put("crashes", stats.crashes());
        node.put("workerRestarts", stats.workerRestarts());
        ObjectNode exits = node.putObject("workerExits");
        for (Map.Entry<ExitCause, Long> exit : stats.workerExits().entrySet()) {
            // Only the causes that happened: a run without incidents reads as {}.
            if (exit.getValue() > 0) {
                exits.put(exit.getKey().name(), exit.getValue());
            }
        }
        latency(node.putObject("roundTrip"), stats.roundTrip());
        latency(node.putObject("queueWait"), stats.queueWait());
        latency(node.putObject("execution"), stats.execution());
    }

    private static void latency(ObjectNode node, LatencyStats latency) {
        node.put("count", latency.count());
        node.put("p50Micros", micros(latency.p50Nanos()));
        node.put("p90Micros", micros(latency.p90Nanos()));
        node.put("p99Micros", micros(latency.p99Nanos()));
        node.put("p999Micros", micros(latency.p999Nanos()));
        node.put("maxMicros", micros(latency.maxNanos()));
    }

    /** Rounded to the nearest microsecond: the stats hold two significant digits anyway. */
    private static long micros(long nanos) {
        return (nanos + 500) / 1_000;
    }
}
