package io.forkpool.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which task names a pool lets its workers run. The supervisor checks it in {@code submit}, the
 * worker again before it loads a class: a name that is not allowed never gets a class loaded.
 * A method reference's name, {@code Class::method}, is checked by its class part: it is allowed
 * exactly when its class is.
 *
 * <p>Each entry is one of:
 * <ul>
 *   <li>{@code *}: any class (the worker still runs only classes that implement
 *       {@link io.forkpool.Task});</li>
 *   <li>a package pattern such as {@code com.example.tasks.*}: every class in that package and
 *       in the packages below it;</li>
 *   <li>a binary class name such as {@code com.example.CountPrimes} or
 *       {@code com.example.Outer$Inner}: that class.</li>
 * </ul>
 *
 * <p>Whatever the entries say, names in the JDK's own namespaces ({@code java.}, {@code javax.},
 * {@code jdk.}, {@code sun.}, {@code com.sun.}) are refused: no class there implements
 * {@code Task}, and refusing them by name keeps the classic deserialization gadgets (such as
 * {@code com.sun.rowset.JdbcRowSetImpl}) from even being loaded. Immutable and thread-safe.
 */
public final class TaskAllowList {

    /** The entry that allows any class implementing {@code Task}. */
    public static final String ANY = "*";

    private static final String IDENTIFIER = "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*";
    private static final Pattern ENTRY = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*(\\.\\*)?");
    private static final List<String> REFUSED_PREFIXES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private final List<String> entries;
    private final boolean any;
    private final Set<String> classes = new HashSet<>();
    private final List<String> packagePrefixes = new ArrayList<>();

    private TaskAllowList(List<String> entries) {
        this.entries = entries;
        this.any = entries.contains(ANY);
        for (String entry : entries) {
            if (entry.endsWith(".*")) {
                packagePrefixes.add(entry.substring(0, entry.length() - 1));
            } else if (!entry.equals(ANY)) {
                classes.add(entry);
            }
        }
    }

    /**
     * Parses and checks entries.
     *
     * @param entries at least one entry, each {@code *}, a package pattern or a binary class name
     * @return the list
     * @throws IllegalArgumentException if there are no entries or one is malformed, naming it
     */
    public static TaskAllowList of(Collection<String> entries) {
        List<String> copy = List.copyOf(Objects.requireNonNull(entries, "entries"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("the task allow-list must have at least one entry (\"*\" allows any task)");
        }
        for (String entry : copy) {
            if (!entry.equals(ANY) && !ENTRY.matcher(entry).matches()) {
                throw new IllegalArgumentException("malformed task allow-list entry \"" + entry
                        + "\": expected \"*\", a package pattern such as \"com.example.*\" or a class name");
            }
        }
        return new TaskAllowList(copy);
    }

    /**
     * Tells whether a task name may run.
     *
     * @param name a binary class name, or {@code Class::method}, as a TASK frame carries it
     * @return whether the list allows it (its class part, for a method) and it is outside the
     *     JDK's namespaces
     */
    public boolean allows(String name) {
        int method = name.indexOf("::");
        if (method >= 0) {
            name = name.substring(0, method);
        }
        for (String refused : REFUSED_PREFIXES) {
            if (name.startsWith(refused)) {
                return false;
            }
        }
        if (any || classes.contains(name)) {
            return true;
        }
        for (String prefix : packagePrefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Builds the error for a name this list refuses.
     *
     * @param name the refused name
     * @return an exception naming the class and the list
     */
    public IllegalArgumentException refusal(String name) {
        return new IllegalArgumentException(name + " is not in the pool's task allow-list " + entries
                + (any ? " (names under java., javax., jdk., sun. and com.sun. are always refused)" : ""));
    }

    /** @return the entries, in the order given */
    public List<String> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
