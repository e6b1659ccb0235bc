package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.PoolStartupException;
import io.forkpool.WorkerPool;
import io.forkpool.itapp.ChildLoaderLauncher;
import io.forkpool.itapp.DefaultPoolApp;
import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool built without {@code classpath(...)} finds what its workers need where the application
 * really loaded it from: on the module path ({@code java -p … -m …}, where {@code java.class.path}
 * is empty) and in a child class loader (as under {@code mvn exec:java}). A pool given a class
 * path without forkpool says which class path its workers got and how to fix it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DefaultClasspathIT {

    /** What an application using forkpool and the example tasks ships; the test tools are left out. */
    private static final List<String> ARTIFACTS = List.of("pool-api", "pool-runtime", "worker-bootstrap", "jackson",
            "slf4j-api", "slf4j-simple", "HdrHistogram", "prime-tasks");

    @TempDir
    Path dir;

    /** The entries of this JVM's class path that an application would ship, in order. */
    private static List<Path> applicationEntries() {
        List<Path> entries = new ArrayList<>();
        for (String entry : ChildJvm.classpathOfThisJvm().split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String name = path.endsWith(Path.of("target", "classes")) ? path.getParent().getParent().getFileName().toString()
                    : path.getFileName().toString();
            if (!entry.contains("test-classes") && ARTIFACTS.stream().anyMatch(name::startsWith)) {
                entries.add(path);
            }
        }
        return entries;
    }

    @Test
    void aModulePathApplicationGetsItsPoolWithoutSettingAClasspath() throws Exception {
        Path modules = Files.createDirectories(dir.resolve("modules"));
        for (Path entry : applicationEntries()) {
            if (Files.isDirectory(entry)) { // a reactor module's classes: ship them as its jar
                jar(entry, modules.resolve(entry.getParent().getParent().getFileName() + ".jar"), null);
            } else {
                Files.copy(entry, modules.resolve(entry.getFileName()));
            }
        }
        Path testClasses = Path.of(ChildJvm.locationOf(DefaultPoolApp.class));
        jar(testClasses.resolve("io/forkpool/itapp"), modules.resolve("app.jar"), "forkpool.it.app");
        List<String> command = List.of(ChildJvm.java(), "-p", modules.toString(), "--add-modules", "ALL-MODULE-PATH",
                "-m", "forkpool.it.app/" + DefaultPoolApp.class.getName(), "module-path");
        String stdout = run(command);
        assertThat(stdout.lines()).containsExactly("MODULE forkpool.it.app", "LOADER app", "PRIMES 25");
    }

    @Test
    void anApplicationInAChildClassLoaderGetsItsPoolWithoutSettingAClasspath() throws Exception {
        List<String> realm = new ArrayList<>(applicationEntries().stream().map(Path::toString).toList());
        String testClasses = ChildJvm.locationOf(ChildLoaderLauncher.class);
        realm.add(testClasses);
        List<String> command = ChildJvm.mainClass(ChildLoaderLauncher.class).classpath(List.of(testClasses))
                .args(String.join(File.pathSeparator, realm)).command();
        String stdout = run(command);
        assertThat(stdout.lines()).containsExactly("MODULE null", "LOADER realm", "PRIMES 25");
    }

    @Test
    void aClasspathWithoutForkpoolIsNamedWithTheFix() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-forkpool"));
        assertThatThrownBy(() -> WorkerPool.builder().name("no-forkpool").workers(1).classpath(List.of(empty.toString()))
                .startupTimeout(Duration.ofSeconds(60)).build())
                .isInstanceOf(PoolStartupException.class)
                .hasMessageContaining("Could not find or load main class io.forkpool.worker.WorkerMain")
                .hasMessageEndingWith("\nThe workers could not load io.forkpool.worker.WorkerMain from their class path "
                        + "1 entry [" + empty + "]. Give the pool a class path that holds forkpool's jars (pool-api, "
                        + "pool-runtime, worker-bootstrap), their dependencies (Jackson, SLF4J) and the task classes: "
                        + "WorkerPool.builder().classpath(List.of(\"lib/pool-runtime.jar\", …, \"my-tasks.jar\")).");
    }

    /** Runs a child JVM to its end and returns its standard output; it must exit with 0. */
    private String run(List<String> command) throws Exception {
        ChildProcess child = ChildProcess.start(command, dir.resolve("out"), dir.resolve("err"));
        try {
            assertThat(child.awaitExit(Duration.ofSeconds(90))).as("the application ended").isTrue();
            assertThat(child.process().exitValue()).as(child.stderr()).isZero();
            return child.stdout();
        } finally {
            child.process().destroyForcibly();
        }
    }

    /** Jars a directory's files, named by their path below {@code root}'s classes directory. */
    private static void jar(Path directory, Path jar, String moduleName) throws IOException {
        Path root = directory;
        while (!root.getFileName().toString().endsWith("classes")) {
            root = root.getParent();
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (moduleName != null) {
            manifest.getMainAttributes().putValue("Automatic-Module-Name", moduleName);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = root.relativize(file).toString().replace(File.separatorChar, '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }
}
