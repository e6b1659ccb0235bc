package io.forkpool.demo;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * One line at the bottom of a terminal that is redrawn in place, and that other output (the
 * pool's log lines, a worker's stderr relayed by the pool) may cross without the two garbling
 * each other.
 *
 * <p>Anything written through {@link #interleaved()} first erases the line, then goes out as
 * written; the line is drawn again only once that output has ended its own line, so a log
 * message is never split by the bar. The owner redraws on its next tick.
 *
 * <p>Thread-safe: drawing and interleaved writes hold one lock.
 */
final class StatusLine {

    /** Back to the start of the line; the line itself then writes over the old one. */
    static final String RETURN = "\r";
    /** ANSI "erase to end of line": removes what is left of a longer previous line. */
    static final String ERASE = "\u001b[K";

    private final PrintStream terminal;
    private final Object lock = new Object();
    /** Whether a line is on screen; guarded by {@link #lock}. */
    private boolean shown;
    /** Whether interleaved output stopped mid-line, so drawing now would glue onto it; guarded by {@link #lock}. */
    private boolean midLine;
    /** Set by {@link #close()}; a late draw is then ignored. Guarded by {@link #lock}. */
    private boolean closed;

    /** @param terminal where the line is drawn: stderr, a terminal */
    StatusLine(PrintStream terminal) {
        this.terminal = terminal;
    }

    /**
     * Shows the line in place of the previous one, unless other output is mid-line or this is closed.
     *
     * @param line the text, without line separator, narrower than the terminal
     */
    void draw(String line) {
        synchronized (lock) {
            if (closed || midLine) {
                return;
            }
            terminal.print(RETURN + line + ERASE);
            terminal.flush();
            shown = true;
        }
    }

    /** Erases the line for good: the cursor is left at the start of an empty line. */
    void close() {
        synchronized (lock) {
            erase();
            closed = true;
        }
    }

    /**
     * A stream for other output to the same terminal, meant to become {@code System.err} while
     * the line is shown.
     *
     * @return a stream that erases the line before each write
     */
    OutputStream interleaved() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (length == 0) {
                    return;
                }
                synchronized (lock) {
                    erase();
                    terminal.write(bytes, offset, length);
                    terminal.flush();
                    midLine = bytes[offset + length - 1] != '\n';
                }
            }

            @Override
            public void flush() {
                terminal.flush();
            }
        };
    }

    private void erase() {
        if (shown) {
            terminal.print(RETURN + ERASE);
            terminal.flush();
            shown = false;
        }
    }
}
