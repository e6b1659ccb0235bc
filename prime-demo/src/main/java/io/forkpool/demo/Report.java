package io.forkpool.demo;

import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Renders a {@link RunResult} as the human summary or as the one-line JSON object. */
final class Report {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Report() {
    }

    static String mode(DemoOptions options) {
        return options.inProcess() ? "in-process" : "pool";
    }

    /** Several lines, numbers grouped with commas whatever the locale. */
    static String text(DemoOptions options, RunResult result) {
        String unit = options.inProcess() ? "threads" : "worker JVMs";
        return String.format(Locale.ROOT, "%,d primes below %,d%n"
                + "mode %s: %d %s, %,d tasks of up to %,d numbers%n"
                + "wall time %,d ms, ready after %,d ms%n",
                result.count(), options.upTo(),
                mode(options), options.workers(), unit, result.tasks(), options.chunk(),
                result.wallMillis(), result.readyMillis());
    }

    /** One line, no trailing newline. */
    static String json(DemoOptions options, RunResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("upTo", options.upTo());
        root.put("count", result.count());
        root.put("mode", mode(options));
        root.put("workers", options.workers());
        root.put("chunk", options.chunk());
        root.put("tasks", result.tasks());
        root.put("maxAttempts", options.maxAttempts());
        root.put("wallMillis", result.wallMillis());
        root.put("readyMillis", result.readyMillis());
        result.workerPids().forEach(root.putArray("workerPids")::add);
        result.tasksPerWorker().forEach(root.putArray("tasksPerWorker")::add);
        root.put("restarts", result.restarts());
        options.java().ifPresent(java -> root.put("java", java.toString()));
        return MAPPER.writeValueAsString(root);
    }
}
