package io.forkpool.runtime.internal.worker;

import java.util.ArrayDeque;

/**
 * The last lines a worker wrote to stdout/stderr, kept for crash reports: at most
 * {@value #MAX_LINES} lines and {@value #MAX_CHARS} characters. Thread-safe: the output pump
 * appends, crash handling reads.
 */
final class OutputTail {

    static final int MAX_LINES = 60;
    static final int MAX_CHARS = 8 * 1024;

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private int chars;

    synchronized void add(String line) {
        lines.addLast(line);
        chars += line.length() + 1;
        while (lines.size() > MAX_LINES || (chars > MAX_CHARS && lines.size() > 1)) {
            chars -= lines.removeFirst().length() + 1;
        }
    }

    /** @return the kept lines, each ending in a newline, or "" */
    synchronized String text() {
        StringBuilder sb = new StringBuilder(chars);
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
