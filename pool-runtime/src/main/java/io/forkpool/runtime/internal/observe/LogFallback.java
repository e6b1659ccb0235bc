package io.forkpool.runtime.internal.observe;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Whether what the pool must not let vanish (a worker's output, the warning of a pool never
 * closed) goes to the supervisor's standard error instead of the log: when SLF4J found no
 * provider and fell back to its no-operation factory by itself, it would drop every line without
 * a word. One who chose {@code slf4j-nop} chose silence, and gets it. Pure, apart from the
 * JVM-wide answer it computes once.
 */
public final class LogFallback {

    /** Whether {@code slf4j-nop}, the deliberate no-operation provider, is on the class path. */
    public static final boolean NOP_CHOSEN = classPresent("org.slf4j.nop.NOPServiceProvider");
    /** Whether this JVM's SLF4J fell back to no-operation by itself. */
    public static final boolean TO_STDERR = toStderr(LoggerFactory.getILoggerFactory(), NOP_CHOSEN);

    private LogFallback() {
    }

    /**
     * @param factory the factory SLF4J bound
     * @param nopChosen whether {@code slf4j-nop}, the deliberate no-operation provider, is present
     * @return whether lines that must be seen go to standard error rather than to {@code factory}
     */
    public static boolean toStderr(ILoggerFactory factory, boolean nopChosen) {
        return factory instanceof NOPLoggerFactory && !nopChosen;
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, LoggerFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
