package io.forkpool.internal.protocol;

import java.util.List;

/**
 * JSON text as Jackson writes it, for the two control messages written without Jackson (the
 * bootstrap line and the HELLO): strings, and arrays of strings. Golden tests hold both to the
 * bytes Jackson writes.
 */
final class JsonText {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonText() {
    }

    /** An array of strings, or {@code null}. */
    static void strings(StringBuilder json, List<String> values) {
        if (values == null) {
            json.append("null");
            return;
        }
        json.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            string(json, values.get(i));
        }
        json.append(']');
    }

    /**
     * A JSON string as Jackson writes it: quotes and backslashes escaped; control characters as
     * {@code \b \t \n \f \r} or {@code \}{@code u00XX}; a surrogate pair as one character (four
     * bytes of UTF-8) and a lone surrogate as {@code \}{@code uXXXX}; all else as it is.
     */
    static void string(StringBuilder json, String value) {
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
