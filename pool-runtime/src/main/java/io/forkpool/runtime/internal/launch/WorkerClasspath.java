package io.forkpool.runtime.internal.launch;

import io.forkpool.PoolOptions;
import io.forkpool.PoolStartupException;
import io.forkpool.Task;
import io.forkpool.worker.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The workers' class path when the user set none: what forkpool and the tasks were really loaded
 * from, so that the common launchers work without {@code classpath(...)}. In order, each entry
 * once: {@code java.class.path}; the module path ({@code jdk.module.path}, its directories
 * expanded to the modules they hold: the workers run {@code WorkerMain} on the class path, where
 * forkpool's jars, automatic modules, work as well); the jars and directories of the class
 * loaders that loaded forkpool, Jackson and SLF4J and of the thread's context class loader,
 * walking up their {@link URLClassLoader} parents ({@code mvn exec:java}'s class realm, a test's
 * or an application server's child loader); and those classes' code sources. A Spring Boot
 * executable jar that one of those URLs points into stands for its classes and libraries,
 * unpacked once into a private cache ({@link BootJars}), in its place. Only local files that
 * exist are kept, and nothing under the JDK's own {@code java.home}.
 *
 * <p>Also words the hint a start-up failure gets when a worker could not load forkpool's classes.
 */
public final class WorkerClasspath {

    /** Entries a start-up failure names before it shortens the list. */
    static final int SHOWN_IN_FULL = 6;

    private static final Pattern MISSING_CLASS = Pattern.compile(
            "(Could not find or load main class|NoClassDefFoundError:|ClassNotFoundException:)\\s+"
                    + "((?:io[./]forkpool|tools[./]jackson|com[./]fasterxml[./]jackson|org[./]slf4j)[./][\\w./$]+)");

    private WorkerClasspath() {
    }

    /**
     * The options a pool starts with: these if the user set a class path or a worker command,
     * else these with the class path resolved here, from the calling thread's context class
     * loader. Called on the thread that builds the pool.
     *
     * @param options the validated options
     * @return options whose class path the workers get as it is
     * @throws PoolStartupException if nothing was found
     */
    public static PoolOptions complete(PoolOptions options) {
        if (options.classpathGiven() || !options.workerCommand().isEmpty()) {
            return options;
        }
        BootJars bootJars = new BootJars(nestedJarCache(options.classDataCache()));
        List<String> resolved;
        try {
            resolved = resolve(options.classpath(), split(System.getProperty("jdk.module.path", "")),
                    loaders(), anchors(), Path.of(System.getProperty("java.home")), bootJars);
        } catch (UncheckedIOException e) {
            throw new PoolStartupException("cannot give the workers the libraries of a Spring Boot jar: "
                    + e.getCause().getMessage() + ". Set the cache directory with classDataCache(...), or " + lower(fix()),
                    e.getCause());
        }
        if (resolved.isEmpty()) {
            throw new PoolStartupException("cannot find a class path for the workers: java.class.path, the module "
                    + "path and the class loaders of forkpool's classes hold no local jar or directory. "
                    + fix(), null);
        }
        return options.toBuilder().classpath(resolved).options();
    }

    /**
     * Resolves the class path; pure but for reading the file system.
     *
     * @param classPath the entries of {@code java.class.path}, kept first
     * @param modulePath the entries of {@code jdk.module.path}
     * @param loaders the class loaders to take the URLs of, each with its parents
     * @param classes the classes the workers need, whose code sources are taken last
     * @param javaHome the JDK, whose files are never taken
     * @param bootJars where a Spring Boot jar that a URL points into is unpacked
     * @return absolute paths of existing files and directories, each once, in that order
     * @throws UncheckedIOException if a Spring Boot jar cannot be unpacked
     */
    static List<String> resolve(List<String> classPath, List<String> modulePath, List<ClassLoader> loaders,
            List<Class<?>> classes, Path javaHome, BootJars bootJars) {
        Path jdk = javaHome.toAbsolutePath().normalize();
        List<URL> urls = new ArrayList<>();
        Set<ClassLoader> seen = new LinkedHashSet<>();
        for (ClassLoader loader : loaders) {
            for (ClassLoader current = loader; current != null && seen.add(current); current = current.getParent()) {
                if (current instanceof URLClassLoader urlLoader) {
                    urls.addAll(Arrays.asList(urlLoader.getURLs()));
                }
            }
        }
        for (Class<?> type : classes) {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                urls.add(source.getLocation());
            }
        }
        // A Spring Boot jar stands for what it holds: its classes and libraries, unpacked; not itself.
        // Each URL's outer jar, parsed once; indexed as urls (a URL is no map key: its equals resolves hosts).
        List<Path> outerJars = new ArrayList<>();
        Map<Path, List<Path>> unpacked = new LinkedHashMap<>();
        for (URL url : urls) {
            Path jar = BootJars.outerJar(url).map(outer -> outer.toAbsolutePath().normalize()).orElse(null);
            outerJars.add(jar);
            if (jar != null) {
                unpacked.computeIfAbsent(jar, outer -> unpack(bootJars, outer));
            }
        }
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : classPath) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            List<Path> contents = unpacked.getOrDefault(path, List.of());
            if (contents.isEmpty()) {
                add(entries, path, jdk);
            } else {
                contents.forEach(content -> add(entries, content, jdk));
            }
        }
        for (String entry : modulePath) {
            for (Path module : modules(Path.of(entry))) {
                add(entries, module, jdk);
            }
        }
        for (int i = 0; i < urls.size(); i++) {
            addUrl(entries, urls.get(i), jdk);
            Path outer = outerJars.get(i);
            if (outer != null) {
                unpacked.get(outer).forEach(content -> add(entries, content, jdk));
            }
        }
        return List.copyOf(entries);
    }

    private static List<Path> unpack(BootJars bootJars, Path jar) {
        try {
            return bootJars.unpack(jar);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(jar + ": " + e.getMessage(), e));
        }
    }

    /**
     * Where Spring Boot jars are unpacked: {@code nested-jars} in the class-data cache directory,
     * else in a directory of this user's under {@code java.io.tmpdir}.
     */
    static Path nestedJarCache(Path classDataCache) {
        Path base = classDataCache != null ? classDataCache
                : Path.of(System.getProperty("java.io.tmpdir"), "forkpool-" + System.getProperty("user.name"));
        return base.resolve("nested-jars");
    }

    private static String lower(String sentence) {
        return Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
    }

    /**
     * What a module path entry holds: a jar, an exploded module (a directory with
     * {@code module-info.class}), or a directory of jars and exploded modules, sorted by name.
     */
    static List<Path> modules(Path entry) {
        if (!Files.isDirectory(entry) || Files.isRegularFile(entry.resolve("module-info.class"))) {
            return List.of(entry);
        }
        try (Stream<Path> children = Files.list(entry)) {
            return children.filter(child -> Files.isDirectory(child) || child.getFileName().toString().endsWith(".jar"))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of(entry);
        }
    }

    private static void addUrl(Set<String> entries, URL url, Path jdk) {
        if (!"file".equalsIgnoreCase(url.getProtocol())) {
            return; // a jar inside a jar, a remote URL: nothing a worker's -cp can name
        }
        try {
            add(entries, Path.of(new URI(url.toString().replace(" ", "%20"))), jdk);
        } catch (URISyntaxException | IllegalArgumentException e) {
            // not a path this platform can open
        }
    }

    private static void add(Set<String> entries, Path entry, Path jdk) {
        Path path = entry.toAbsolutePath().normalize();
        if (!path.startsWith(jdk) && Files.exists(path)) {
            entries.add(path.toString());
        }
    }

    private static List<ClassLoader> loaders() {
        List<ClassLoader> loaders = new ArrayList<>();
        for (Class<?> type : anchors()) {
            loaders.add(type.getClassLoader());
        }
        loaders.add(Thread.currentThread().getContextClassLoader());
        return loaders;
    }

    /** Classes of each jar the workers need: forkpool's, Jackson's and, when present, SLF4J's. */
    private static List<Class<?>> anchors() {
        List<Class<?>> anchors = new ArrayList<>(List.of(WorkerMain.class, Task.class, WorkerClasspath.class,
                tools.jackson.databind.json.JsonMapper.class, tools.jackson.core.json.JsonFactory.class));
        for (String name : List.of("com.fasterxml.jackson.annotation.JsonProperty", "org.slf4j.LoggerFactory")) {
            try {
                anchors.add(Class.forName(name, false, WorkerClasspath.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                // not on this class path: nothing to add
            }
        }
        return anchors;
    }

    private static List<String> split(String path) {
        return Arrays.stream(path.split(File.pathSeparator)).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The hint a start-up failure gets when the worker's output says it could not load one of
     * forkpool's, Jackson's or SLF4J's classes: the class, the class path the workers got
     * (shortened when long), and how to set it.
     *
     * @param outputTail the worker's last output
     * @param classpath the workers' class path
     * @return the hint, starting with a line break, or empty if the output shows no such failure
     */
    public static String missingClassHint(String outputTail, List<String> classpath) {
        Matcher matcher = MISSING_CLASS.matcher(outputTail);
        if (!matcher.find()) {
            return "";
        }
        return "\nThe workers could not load " + matcher.group(2).replace('/', '.') + " from their class path "
                + shorten(classpath) + ". " + fix();
    }

    /** The class path in words: every entry when there are few, else the first and last three and a count. */
    static String shorten(List<String> classpath) {
        if (classpath.size() <= SHOWN_IN_FULL) {
            return classpath.size() + (classpath.size() == 1 ? " entry " : " entries ") + classpath;
        }
        int half = SHOWN_IN_FULL / 2;
        return classpath.size() + " entries [" + String.join(", ", classpath.subList(0, half)) + ", … "
                + (classpath.size() - SHOWN_IN_FULL) + " more …, "
                + String.join(", ", classpath.subList(classpath.size() - half, classpath.size())) + "]";
    }

    private static String fix() {
        return "Give the pool a class path that holds forkpool's jars (pool-api, pool-runtime, worker-bootstrap), "
                + "their dependencies (Jackson, SLF4J) and the task classes: "
                + "WorkerPool.builder().classpath(List.of(\"lib/pool-runtime.jar\", …, \"my-tasks.jar\")).";
    }
}
