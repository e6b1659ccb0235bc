package io.forkpool.internal.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A cursor over a small JSON document in UTF-8 that reads only what it can read exactly as the
 * control mapper's parser would ({@link Messages}), and gives up with {@link Undecided} on
 * anything else, for the mapper to decide: it accepts a subset of what that parser accepts and
 * reads it to the same values. It is {@link BootstrapReader}'s lexer.
 *
 * <p>Methods that read a value take its first byte, already consumed (as
 * {@link #skipWhitespace()} returns it), and consume the rest.
 */
final class JsonCursor {

    /**
     * The longest number read here, sign, fraction and exponent included: the mapper's parser
     * refuses numbers of more than 1,000 digits, so a longer one is left to it.
     */
    static final int MAX_NUMBER_LENGTH = 1_000;

    /** Thrown, without a stack trace, when the document is not one this cursor decides. */
    static final class Undecided extends Exception {
        private static final long serialVersionUID = 1L;
        static final Undecided INSTANCE = new Undecided();

        private Undecided() {
            super("left to the control mapper", null, false, false);
        }
    }

    private final byte[] in;
    private int pos;

    JsonCursor(byte[] in) {
        this.in = in;
    }

    /** Consumes JSON whitespace and the byte after it; returns that byte, or -1 at the end. */
    int skipWhitespace() {
        while (pos < in.length) {
            int c = in[pos++] & 0xFF;
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c;
            }
        }
        return -1;
    }

    static void expect(int c, char expected) throws Undecided {
        if (c != expected) {
            throw Undecided.INSTANCE;
        }
    }

    /** A JSON integer within a long; a fraction, an exponent, another type or a larger number is undecided. */
    long integer(int first) throws Undecided {
        int start = pos - 1;
        if (!number(first)) {
            throw Undecided.INSTANCE;
        }
        try {
            return Long.parseLong(new String(in, start, pos - start, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw Undecided.INSTANCE; // beyond a long
        }
    }

    /** Reads one member of an object: its name, and the first byte of its value (consumed). */
    interface Member {
        /**
         * @param name the member's name
         * @param first the first byte of its value, consumed
         * @throws Undecided if the value is not one the reader decides
         */
        void read(String name, int first) throws Undecided;
    }

    /**
     * Reads a whole document that is one object, member by member, in order (so a member given
     * twice is read twice: the last value wins, as with the mapper); a trailing comma, or anything
     * after the object, is undecided.
     *
     * @param member reads each member's value, consuming it
     */
    void object(Member member) throws Undecided {
        expect(skipWhitespace(), '{');
        int c = skipWhitespace();
        while (c != '}') {
            expect(c, '"');
            String name = string();
            expect(skipWhitespace(), ':');
            member.read(name, skipWhitespace());
            c = skipWhitespace();
            if (c != '}') {
                expect(c, ',');
                c = skipWhitespace();
                expect(c, '"'); // no trailing comma
            }
        }
        if (skipWhitespace() != -1) {
            throw Undecided.INSTANCE; // a trailing token, which the mapper refuses
        }
    }

    /** A JSON integer within an int; anything else is undecided. */
    int intValue(int first) throws Undecided {
        long value = integer(first);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw Undecided.INSTANCE;
        }
        return (int) value;
    }

    /**
     * {@code null}, or an array of strings, which may hold {@code null}s only if {@code nullsRead};
     * anything else (a trailing comma among it) is undecided.
     */
    List<String> stringsOrNull(int first, boolean nullsRead) throws Undecided {
        if (first != '[') {
            nullValue(first);
            return null;
        }
        List<String> list = new ArrayList<>(); // what the mapper builds, nulls and all
        int c = skipWhitespace();
        while (c != ']') {
            String element = stringOrNull(c);
            if (element == null && !nullsRead) {
                throw Undecided.INSTANCE;
            }
            list.add(element);
            c = skipWhitespace();
            if (c != ']') {
                expect(c, ',');
                c = skipWhitespace();
                if (c == ']') {
                    throw Undecided.INSTANCE; // a trailing comma
                }
            }
        }
        return list;
    }

    /** A string or {@code null}; any other type is undecided (the mapper would turn a number into text). */
    String stringOrNull(int first) throws Undecided {
        if (first == '"') {
            return string();
        }
        literal(first, "null");
        return null;
    }

    /** A {@code null}; anything else is undecided. */
    void nullValue(int first) throws Undecided {
        literal(first, "null");
    }

    /**
     * Skips one value of any type. Nesting is counted, not recursed into: the enclosing object is
     * level 1, and a value nested deeper than {@link Messages#MAX_NESTING_DEPTH} is undecided.
     */
    void skipValue(int first) throws Undecided {
        if (first != '[' && first != '{') {
            scalar(first);
            return;
        }
        // Whether each array or object open within the value is an object.
        boolean[] isObject = new boolean[Messages.MAX_NESTING_DEPTH - 1];
        int open = 0;
        int c = first;
        while (true) {
            if (c == '[' || c == '{') {
                if (open == isObject.length) {
                    throw Undecided.INSTANCE; // too deep: the mapper says so
                }
                isObject[open++] = c == '{';
                c = skipWhitespace();
                if (c != closer(isObject[open - 1])) {
                    c = isObject[open - 1] ? member(c) : c;
                    continue; // c is the first byte of the first element
                }
                open--;
            } else {
                scalar(c);
            }
            // A value is done: close what it ends, then go on with the next element, if any.
            while (true) {
                if (open == 0) {
                    return;
                }
                c = skipWhitespace();
                if (c != closer(isObject[open - 1])) {
                    break;
                }
                open--;
            }
            expect(c, ',');
            c = skipWhitespace();
            c = isObject[open - 1] ? member(c) : c;
        }
    }

    private static int closer(boolean object) {
        return object ? '}' : ']';
    }

    /** Consumes a member's name and colon, whose first byte is {@code c}; returns its value's first byte. */
    private int member(int c) throws Undecided {
        expect(c, '"');
        string();
        expect(skipWhitespace(), ':');
        return skipWhitespace();
    }

    private void scalar(int first) throws Undecided {
        switch (first) {
            case '"' -> string();
            case 't' -> literal(first, "true");
            case 'f' -> literal(first, "false");
            case 'n' -> literal(first, "null");
            default -> number(first);
        }
    }

    /** The rest of {@code true}, {@code false} or {@code null}, which must not run on into other bytes. */
    private void literal(int first, String word) throws Undecided {
        if (first != word.charAt(0) || pos + word.length() - 1 > in.length) {
            throw Undecided.INSTANCE;
        }
        for (int i = 1; i < word.length(); i++) {
            if (in[pos++] != word.charAt(i)) {
                throw Undecided.INSTANCE;
            }
        }
        delimited();
    }

    /**
     * A number, {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}, of at most
     * {@link #MAX_NUMBER_LENGTH} bytes and followed by a delimiter.
     *
     * @return whether it is an integer (no fraction, no exponent)
     */
    private boolean number(int first) throws Undecided {
        int start = pos - 1;
        int c = first == '-' ? next() : first;
        if (c == '0') {
            c = next();
        } else if (c >= '1' && c <= '9') {
            c = digits();
        } else {
            throw Undecided.INSTANCE;
        }
        boolean integer = true;
        if (c == '.') {
            integer = false;
            c = digits(next());
        }
        if (c == 'e' || c == 'E') {
            integer = false;
            c = next();
            c = digits(c == '+' || c == '-' ? next() : c);
        }
        if (c != -1) {
            pos--; // the delimiter is not part of the number
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw Undecided.INSTANCE;
        }
        delimited();
        return integer;
    }

    /** Digits after one consumed; returns the byte after them, consumed, or -1. */
    private int digits() {
        int c = next();
        while (c >= '0' && c <= '9') {
            c = next();
        }
        return c;
    }

    /** At least one digit, the first consumed as {@code first}; returns the byte after them. */
    private int digits(int first) throws Undecided {
        if (first < '0' || first > '9') {
            throw Undecided.INSTANCE;
        }
        return digits();
    }

    private int next() {
        return pos < in.length ? in[pos++] & 0xFF : -1;
    }

    /** A scalar must be followed by whitespace, a comma, a closing bracket or the end. */
    private void delimited() throws Undecided {
        if (pos < in.length) {
            int c = in[pos];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != '}' && c != ']') {
                throw Undecided.INSTANCE;
            }
        }
    }

    /**
     * The rest of a string whose opening quote was consumed: escapes decoded, well-formed UTF-8
     * only (no overlong forms, no encoded surrogates, nothing above U+10FFFF), no raw control
     * characters. A {@code \}{@code u} escape may name any UTF-16 unit, a lone surrogate too, as
     * the mapper's parser allows.
     */
    String string() throws Undecided {
        StringBuilder text = new StringBuilder();
        while (true) {
            int c = next();
            if (c == '"') {
                return text.toString();
            }
            if (c < 0x20) { // a raw control character, or the end
                throw Undecided.INSTANCE;
            }
            if (c == '\\') {
                escape(text);
            } else if (c < 0x80) {
                text.append((char) c);
            } else if (c >= 0xC2 && c <= 0xDF) {
                text.append((char) ((c & 0x1F) << 6 | continuation(0x80, 0xBF)));
            } else if (c >= 0xE0 && c <= 0xEF) {
                int second = continuation(c == 0xE0 ? 0xA0 : 0x80, c == 0xED ? 0x9F : 0xBF);
                text.append((char) ((c & 0x0F) << 12 | second << 6 | continuation(0x80, 0xBF)));
            } else if (c >= 0xF0 && c <= 0xF4) {
                int second = continuation(c == 0xF0 ? 0x90 : 0x80, c == 0xF4 ? 0x8F : 0xBF);
                int third = continuation(0x80, 0xBF);
                text.appendCodePoint((c & 0x07) << 18 | second << 12 | third << 6 | continuation(0x80, 0xBF));
            } else {
                throw Undecided.INSTANCE;
            }
        }
    }

    /** A continuation byte within {@code [low, high]}; returns its low six bits. */
    private int continuation(int low, int high) throws Undecided {
        int c = next();
        if (c < low || c > high) {
            throw Undecided.INSTANCE;
        }
        return c & 0x3F;
    }

    private void escape(StringBuilder text) throws Undecided {
        int c = next();
        switch (c) {
            case '"', '\\', '/' -> text.append((char) c);
            case 'b' -> text.append('\b');
            case 'f' -> text.append('\f');
            case 'n' -> text.append('\n');
            case 'r' -> text.append('\r');
            case 't' -> text.append('\t');
            case 'u' -> {
                int unit = 0;
                for (int i = 0; i < 4; i++) {
                    unit = unit << 4 | hexDigit(next());
                }
                text.append((char) unit);
            }
            default -> throw Undecided.INSTANCE;
        }
    }

    private static int hexDigit(int c) throws Undecided {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw Undecided.INSTANCE;
    }
}
