package io.forkpool.internal.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Writes the HELLO payload without Jackson, so that a worker says hello before it loads any of it
 * (see {@link BootstrapReader}). The bytes are those {@link Messages#encode} writes for the same
 * {@link Messages.Hello}: the fields in declaration order, {@code features} left out when empty,
 * and strings escaped as Jackson escapes them (the tests hold the two to the same bytes).
 */
public final class HelloEncoder {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

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
        string(json, hello.token());
        json.append(",\"runtime\":");
        string(json, hello.runtime());
        if (!hello.features().isEmpty()) {
            json.append(",\"features\":[");
            for (int i = 0; i < hello.features().size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                string(json, hello.features().get(i));
            }
            json.append(']');
        }
        json.append('}');
        // Every surrogate left in the text is half of a pair, so this is exact UTF-8.
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A JSON string as Jackson writes it: quotes and backslashes escaped; control characters as
     * {@code \b \t \n \f \r} or {@code \}{@code u00XX}; a surrogate pair as one character (four
     * bytes of UTF-8) and a lone surrogate as {@code \}{@code uXXXX}; all else as it is.
     */
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
                case '\b' -> json.append("\\b");
                case '\t' -> json.append("\\t");
                case '\n' -> json.append("\\n");
                case '\f' -> json.append("\\f");
                case '\r' -> json.append("\\r");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(json, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        json.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(json, c);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    private static void unicodeEscape(StringBuilder json, char c) {
        json.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
    }
}
