package io.forkpool.demo;

import java.util.List;

/**
 * Walks the arguments for {@link DemoOptions#parse}, splitting {@code --name=value} and fetching
 * the value of {@code --name value}. Kept apart so the parser reads as a plain switch.
 */
final class ArgCursor {

    private final List<String> args;
    private int next;
    private String inlineValue;

    ArgCursor(List<String> args) {
        this.args = List.copyOf(args);
    }

    boolean hasNext() {
        return next < args.size();
    }

    /** Returns the next option's name; an {@code =value} part is kept for {@link #value}. */
    String nextOption() {
        String arg = args.get(next++);
        int equals = arg.indexOf('=');
        if (arg.startsWith("--") && equals > 0) {
            inlineValue = arg.substring(equals + 1);
            return arg.substring(0, equals);
        }
        inlineValue = null;
        return arg;
    }

    /** Returns the option's value, from {@code =value} or the next argument. */
    String value(String option) throws UsageException {
        if (inlineValue != null) {
            return inlineValue;
        }
        // "--up-to --json" is a forgotten value, not the number "--json".
        if (!hasNext() || args.get(next).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(next++);
    }

    /** Accepts a flag, which takes no value. */
    boolean flag(String option) throws UsageException {
        if (inlineValue != null) {
            throw new UsageException(option + " takes no value");
        }
        return true;
    }
}
