package io.forkpool.demo;

/**
 * The command line is wrong: an unknown option, a missing or malformed value, a value out of
 * range. The message is one line describing the problem, without the program name.
 */
public final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception. Control characters in the message (a value typed as
     * {@code $'1\n2'}, say) are escaped, so the error stays one line whatever the user passed.
     *
     * @param message one line saying what is wrong with the arguments
     */
    public UsageException(String message) {
        super(oneLine(message));
    }

    private static String oneLine(String message) {
        StringBuilder line = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        line.append(String.format("\\u%04x", c));
                    } else {
                        line.appendCodePoint(c);
                    }
                }
            }
        });
        return line.toString();
    }
}
