package io.forkpool.internal.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Writes the bootstrap line without Jackson. The supervisor sends it right after spawning each
 * worker, and in a fresh JVM building a Jackson mapper takes a few hundred milliseconds: writing
 * these eight flat fields by hand lets the workers boot while the supervisor's Jackson warms up,
 * instead of after. The output is what Jackson writes for {@link Messages.Bootstrap} (the golden
 * test holds them to the same bytes); this class must not touch {@link Messages}' statics, which
 * would build a mapper.
 */
public final class BootstrapLine {

    private BootstrapLine() {
    }

    /**
     * Encodes a bootstrap line.
     *
     * @param bootstrap the fields
     * @return the UTF-8 JSON object followed by {@code \n}
     */
    public static byte[] encode(Messages.Bootstrap bootstrap) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"protocolVersion\":").append(bootstrap.protocolVersion());
        json.append(",\"socketPath\":");
        string(json, bootstrap.socketPath());
        json.append(",\"token\":");
        string(json, bootstrap.token());
        json.append(",\"workerId\":").append(bootstrap.workerId());
        json.append(",\"maxFrameLength\":").append(bootstrap.maxFrameLength());
        json.append(",\"supervisorPid\":").append(bootstrap.supervisorPid());
        json.append(",\"supervisorStartMillis\":").append(bootstrap.supervisorStartMillis());
        json.append(",\"allowedTasks\":");
        if (bootstrap.allowedTasks() == null) {
            json.append("null");
        } else {
            json.append('[');
            for (int i = 0; i < bootstrap.allowedTasks().size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                string(json, bootstrap.allowedTasks().get(i));
            }
            json.append(']');
        }
        json.append("}\n");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped. */
    private static void string(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04X", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
