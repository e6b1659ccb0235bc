package io.forkpool.testsupport;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The command line of a child JVM: this JVM's {@code java}, then the JVM options, then either
 * {@code -cp <class path> <main class>} or {@code -jar <jar>}, then the program's arguments. The
 * class path defaults to this JVM's own ({@code java.class.path}), so a main class of the tests
 * runs in the child with everything the tests see. Only builds the list; start it with
 * {@link ChildProcess} or a {@link ProcessBuilder}, or hand it to a pool's {@code workerCommand}.
 *
 * <pre>{@code
 * List<String> command = ChildJvm.mainClass(MySupervisor.class)
 *         .jvmOptions("-Xmx64m")
 *         .args("--rounds", "3")
 *         .command();
 * }</pre>
 *
 * <p>Not thread-safe; each call changes this builder and returns it.
 */
public final class ChildJvm {

    private final String mainClass;
    private final Path jar;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private String classpath = classpathOfThisJvm();

    private ChildJvm(String mainClass, Path jar) {
        this.mainClass = mainClass;
        this.jar = jar;
    }

    /**
     * A child JVM that runs a main class on this JVM's class path.
     *
     * @param mainClass the class whose {@code main} the child runs
     * @return a builder
     */
    public static ChildJvm mainClass(Class<?> mainClass) {
        return mainClass(mainClass.getName());
    }

    /**
     * A child JVM that runs a main class, by binary name, on this JVM's class path.
     *
     * @param mainClass the binary name of the class whose {@code main} the child runs
     * @return a builder
     */
    public static ChildJvm mainClass(String mainClass) {
        return new ChildJvm(Objects.requireNonNull(mainClass, "mainClass"), null);
    }

    /**
     * A child JVM that runs an executable jar ({@code java -jar}); the class path is the jar's.
     *
     * @param jar the jar
     * @return a builder
     */
    public static ChildJvm jar(Path jar) {
        return new ChildJvm(null, Objects.requireNonNull(jar, "jar"));
    }

    /**
     * Adds JVM options, placed before the class path or the jar.
     *
     * @param options options such as {@code -Xmx64m} or {@code -Dname=value}, each one argument
     * @return this builder
     */
    public ChildJvm jvmOptions(String... options) {
        return jvmOptions(Arrays.asList(options));
    }

    /**
     * Adds JVM options, placed before the class path or the jar.
     *
     * @param options options such as {@code -Xmx64m} or {@code -Dname=value}, each one argument
     * @return this builder
     */
    public ChildJvm jvmOptions(List<String> options) {
        options.forEach(option -> jvmOptions.add(Objects.requireNonNull(option, "option")));
        return this;
    }

    /**
     * Replaces the class path (this JVM's by default). Has no effect with {@link #jar(Path)}.
     *
     * @param entries jars and directories, joined with the platform's path separator
     * @return this builder
     */
    public ChildJvm classpath(List<String> entries) {
        this.classpath = String.join(File.pathSeparator, entries);
        return this;
    }

    /**
     * Adds arguments for the program, placed after the main class or the jar.
     *
     * @param arguments the arguments, each passed as one argument (no shell is involved)
     * @return this builder
     */
    public ChildJvm args(String... arguments) {
        return args(Arrays.asList(arguments));
    }

    /**
     * Adds arguments for the program, placed after the main class or the jar.
     *
     * @param arguments the arguments, each passed as one argument (no shell is involved)
     * @return this builder
     */
    public ChildJvm args(List<String> arguments) {
        arguments.forEach(argument -> args.add(Objects.requireNonNull(argument, "argument")));
        return this;
    }

    /** @return the command line, a new mutable list each time */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        if (jar != null) {
            command.add("-jar");
            command.add(jar.toString());
        } else {
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass);
        }
        command.addAll(args);
        return command;
    }

    /** @return the {@code java} executable of the JVM running this code, from {@code java.home} */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** @return this JVM's class path, as {@code java.class.path} has it */
    public static String classpathOfThisJvm() {
        return System.getProperty("java.class.path");
    }

    /**
     * Where a class was loaded from: the jar or the class directory that holds it, for a class path
     * given to another process (a node's task class path, for one).
     *
     * @param type a class loaded from a jar or a directory
     * @return the jar or directory, as a string
     * @throws IllegalArgumentException if the class has no code source (a JDK class, for one)
     */
    public static String locationOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalArgumentException(type.getName() + " was not loaded from a jar or a directory");
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot read where " + type.getName() + " was loaded from", e);
        }
    }
}
