package io.forkpool.runtime.internal.ledger;

import java.util.Arrays;

/**
 * Finds where each element of a JSON array starts, in one pass over its bytes and without a
 * parser: a batch's inputs are encoded as one array by one Jackson call, and each input must
 * still be sent on its own or in a range of its neighbours.
 *
 * <p>The elements are what lies between the array's separators, the commas and brackets at its
 * own level, so an element keeps any whitespace around it. Strings are skipped by their quotes and
 * escapes (a UTF-8 byte of a multibyte character is never a quote or a backslash), and brackets
 * inside an element are matched, so no comma or bracket in a string or a nested value is taken
 * for a separator. It checks the structure, not the tokens: numbers and literals are whatever
 * lies between structural characters, which Jackson wrote and the worker reads strictly.
 * Anything else — a missing or mismatched bracket, an unterminated string, an empty element
 * ({@code [1,,2]}, {@code [1,]}), a colon between elements, bytes after the array, another count
 * of elements than expected — and it answers {@code null}, so that the caller encodes the inputs
 * one by one instead.
 */
final class JsonArrayScan {

    private JsonArrayScan() {
    }

    /**
     * @param json holds the array from index 0
     * @param length how many bytes of {@code json} the array takes; the rest is ignored
     * @param count how many elements the array must hold
     * @return {@code count + 1} offsets: where element {@code i} starts (just after the bracket
     *     or comma before it), then one past the closing bracket, so that element {@code i} ends
     *     at {@code starts[i + 1] - 1}, on its separator; or {@code null} if the bytes are not
     *     such an array of {@code count} elements
     */
    static int[] elementStarts(byte[] json, int length, int count) {
        if (count < 0 || length < 2 || length > json.length || json[0] != '[') {
            return null;
        }
        int[] starts = new int[count + 1];
        byte[] open = new byte[16]; // the brackets open within the current element, innermost last
        int depth = 0;
        int n = 0; // elements ended so far
        int start = 1; // where the current element starts
        boolean value = false; // whether the current element holds more than whitespace
        for (int i = 1; i < length; i++) {
            byte b = json[i];
            switch (b) {
                case '"' -> {
                    i = closingQuote(json, i + 1, length);
                    if (i < 0) {
                        return null;
                    }
                    value = true;
                }
                case '[', '{' -> {
                    if (depth == open.length) {
                        open = Arrays.copyOf(open, depth * 2);
                    }
                    open[depth++] = b;
                    value = true;
                }
                case ']', '}' -> {
                    if (depth > 0) {
                        if (open[--depth] != (b == ']' ? '[' : '{')) {
                            return null;
                        }
                    } else if (b == '}' || i != length - 1) {
                        return null; // a brace closing the array, or bytes after it
                    } else if (value) {
                        if (n == count) {
                            return null;
                        }
                        starts[n++] = start;
                        return n == count ? end(starts, n, i) : null;
                    } else {
                        return n == 0 && count == 0 ? end(starts, 0, i) : null; // [] is empty; [1,] is not
                    }
                }
                case ',' -> {
                    if (depth == 0) {
                        if (!value || n == count) {
                            return null;
                        }
                        starts[n++] = start;
                        start = i + 1;
                        value = false;
                    }
                }
                case ':' -> {
                    if (depth == 0) {
                        return null;
                    }
                }
                case ' ', '\t', '\n', '\r' -> {
                    // whitespace belongs to the element it is in, or between
                }
                default -> value = true;
            }
        }
        return null; // the array never closed
    }

    private static int[] end(int[] starts, int n, int closingBracket) {
        starts[n] = closingBracket + 1;
        return starts;
    }

    /** @return the index of the quote that closes a string whose contents start at {@code from}, or -1 */
    private static int closingQuote(byte[] json, int from, int length) {
        for (int i = from; i < length; i++) {
            byte b = json[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\') {
                i++; // the escaped byte: a quote or backslash there does not end or escape anything
            }
        }
        return -1;
    }
}
