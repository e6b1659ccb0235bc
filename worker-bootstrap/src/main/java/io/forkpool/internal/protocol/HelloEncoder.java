package io.forkpool.internal.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Writes the HELLO payload without Jackson, so that a worker says hello before it loads any of it
 * (see {@link BootstrapReader}). The bytes are those {@link Messages#encode} writes for the same
 * {@link Messages.Hello}: the fields in declaration order, {@code features} left out when empty,
 * and strings escaped as Jackson escapes them (the tests hold the two to the same bytes).
 */
public final class HelloEncoder {

    private HelloEncoder() {
    }

    /**
     * Encodes a hello.
     *
     * @param hello the hello
     * @return its JSON bytes, as {@link Messages#encode} writes them
     */
    public static byte[] encode(Messages.Hello hello) {
        StringBuilder json = new StringBuilder(128);
        json.append("{\"protocolVersion\":").append(hello.protocolVersion());
        json.append(",\"pid\":").append(hello.pid());
        json.append(",\"token\":");
        JsonText.string(json, hello.token());
        json.append(",\"runtime\":");
        JsonText.string(json, hello.runtime());
        if (!hello.features().isEmpty()) {
            json.append(",\"features\":");
            JsonText.strings(json, hello.features());
        }
        json.append('}');
        // Every surrogate left in the text is half of a pair, so this is exact UTF-8.
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
