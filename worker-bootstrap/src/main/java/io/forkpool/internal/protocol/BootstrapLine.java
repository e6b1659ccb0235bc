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
        JsonText.string(json, bootstrap.socketPath());
        json.append(",\"token\":");
        JsonText.string(json, bootstrap.token());
        json.append(",\"workerId\":").append(bootstrap.workerId());
        json.append(",\"maxFrameLength\":").append(bootstrap.maxFrameLength());
        json.append(",\"supervisorPid\":").append(bootstrap.supervisorPid());
        json.append(",\"supervisorStartMillis\":").append(bootstrap.supervisorStartMillis());
        json.append(",\"allowedTasks\":");
        JsonText.strings(json, bootstrap.allowedTasks());
        json.append("}\n");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
