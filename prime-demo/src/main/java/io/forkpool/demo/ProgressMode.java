package io.forkpool.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the demo shows its progress on stderr: the value of {@code --progress}. */
public enum ProgressMode {
    /** {@link #BAR} when stderr is a terminal, else {@link #PLAIN}; {@link #NONE} with {@code --json}. */
    AUTO,
    /** A live line redrawn in place with {@code \r}: for a person watching a terminal. */
    BAR,
    /** A plain line every few seconds and one at the end: for log files and CI. */
    PLAIN,
    /** Nothing. */
    NONE;

    /** @return the name as typed on the command line, e.g. {@code plain} */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the accepted values, e.g. {@code auto, bar, plain or none} */
    static String choices() {
        String all = Arrays.stream(values()).map(ProgressMode::optionValue).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }

    /**
     * Reads a command-line value.
     *
     * @param option the option's name, for the message
     * @param value what the user typed
     * @return the mode
     * @throws UsageException if the value names no mode
     */
    static ProgressMode parse(String option, String value) throws UsageException {
        for (ProgressMode mode : values()) {
            if (mode.optionValue().equals(value)) {
                return mode;
            }
        }
        throw new UsageException(option + " must be " + choices() + ", got '" + value + "'");
    }

    /**
     * Decides what {@link #AUTO} means for this run; the other modes stay as they are.
     *
     * <p>With {@code --json} the caller is most likely a script that reads stdout and keeps
     * stderr for errors, so {@code auto} shows nothing there; {@code --progress bar} or
     * {@code plain} still ask for it explicitly.
     *
     * @param json whether the result is printed as JSON
     * @param stderrIsTerminal whether stderr is a terminal that understands {@code \r}
     * @return {@link #BAR}, {@link #PLAIN} or {@link #NONE}
     */
    ProgressMode resolve(boolean json, boolean stderrIsTerminal) {
        if (this != AUTO) {
            return this;
        }
        if (json) {
            return NONE;
        }
        return stderrIsTerminal ? BAR : PLAIN;
    }
}
