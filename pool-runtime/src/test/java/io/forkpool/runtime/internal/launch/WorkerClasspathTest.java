package io.forkpool.runtime.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.PoolOptions;
import io.forkpool.Task;
import io.forkpool.WorkerPool;
import io.forkpool.worker.WorkerMain;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerClasspathTest {

    @TempDir
    Path dir;

    private Path file(String name) throws IOException {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.write(path, new byte[0]);
    }

    private Path directory(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    private BootJars boot() {
        return new BootJars(dir.resolve("cache"));
    }

    private String abs(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    @Test
    void keepsTheClassPathFirstDropsMissingAndRepeatedEntriesAndTheJdk() throws IOException {
        Path a = file("a.jar");
        Path b = directory("classes");
        Path jdk = directory("jdk");
        Path jdkJar = file("jdk/lib/x.jar");
        List<String> resolved = WorkerClasspath.resolve(
                List.of(a.toString(), dir.resolve("missing.jar").toString(), b.toString(), a.toString(), jdkJar.toString()),
                List.of(), List.of(), List.of(), jdk, boot());
        assertThat(resolved).containsExactly(abs(a), abs(b));
    }

    @Test
    void expandsModulePathDirectoriesToTheModulesTheyHold() throws IOException {
        Path jar = file("single.jar");
        Path libs = directory("libs");
        Path z = file("libs/z.jar");
        Path m = file("libs/m.jar");
        file("libs/notes.txt");
        Path exploded = directory("libs/exploded");
        Path module = directory("module");
        file("module/module-info.class");
        List<String> resolved = WorkerClasspath.resolve(List.of(), List.of(jar.toString(), libs.toString(), module.toString()),
                List.of(), List.of(), directory("jdk"), boot());
        assertThat(resolved).containsExactly(abs(jar), abs(exploded), abs(m), abs(z), abs(module));
    }

    @Test
    void walksUrlClassLoadersUpToTheirParentsAndKeepsOnlyLocalFiles() throws IOException {
        Path parentJar = file("parent.jar");
        Path childJar = file("child dir/child.jar");
        Path classes = directory("classes");
        try (URLClassLoader parent = new URLClassLoader(new URL[] {parentJar.toUri().toURL(),
                        new URL("http://localhost/remote.jar"), dir.resolve("gone.jar").toUri().toURL()}, null);
                URLClassLoader child = new URLClassLoader(new URL[] {childJar.toUri().toURL(), classes.toUri().toURL(),
                        new URL("jar:" + parentJar.toUri() + "!/BOOT-INF/lib/nested.jar")}, parent)) {
            List<String> resolved = WorkerClasspath.resolve(List.of(classes.toString()), List.of(),
                    List.of(child, parent), List.of(), directory("jdk"), boot());
            assertThat(resolved).containsExactly(abs(classes), abs(childJar), abs(parentJar));
        }
    }

    @Test
    void addsTheCodeSourcesOfTheClassesTheWorkersNeedAndNeverTheJdksClasses() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        List<String> resolved = WorkerClasspath.resolve(List.of(), List.of(), List.of(),
                List.of(WorkerMain.class, Task.class, String.class), jdk, boot());
        assertThat(resolved).containsExactly(
                abs(Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())),
                abs(Path.of(Task.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
    }

    @Test
    void aSpringBootJarOnTheClassPathStandsForItsUnpackedClassesAndLibraries() throws IOException {
        Path app = dir.resolve("app.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
        manifest.getMainAttributes().putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(app), manifest)) {
            for (String name : List.of("BOOT-INF/classes/app/Main.class", "BOOT-INF/lib/forkpool.jar")) {
                out.putNextEntry(new java.util.zip.ZipEntry(name));
                out.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        Path other = file("other.jar");
        // What Boot's class loader (before 3.2) lists: the jar's classes and each library, inside the jar.
        try (URLClassLoader launched = new URLClassLoader(new URL[] {
                new URL("jar:" + app.toUri() + "!/BOOT-INF/classes!/"), new URL("jar:" + app.toUri() + "!/BOOT-INF/lib/forkpool.jar!/")},
                null)) {
            List<String> resolved = WorkerClasspath.resolve(List.of(app.toString(), other.toString()), List.of(),
                    List.of(launched), List.of(), directory("jdk"), boot());
            assertThat(resolved).hasSize(3);
            assertThat(resolved.get(0)).startsWith(abs(dir.resolve("cache"))).contains("app-classes-");
            assertThat(resolved.get(1)).startsWith(abs(dir.resolve("cache"))).contains("forkpool-");
            assertThat(resolved.get(2)).isEqualTo(abs(other));
        }
    }

    @Test
    void aGivenClasspathIsKeptAsItIs() {
        PoolOptions given = WorkerPool.builder().classpath(List.of("nowhere.jar")).options();
        assertThat(WorkerClasspath.complete(given)).isSameAs(given);
        PoolOptions command = WorkerPool.builder().workerCommand("python3", "w.py").options();
        assertThat(WorkerClasspath.complete(command)).isSameAs(command);
    }

    @Test
    void theDefaultHoldsTheJavaClassPathFirstAndWhereForkpoolWasLoaded() throws Exception {
        PoolOptions options = WorkerClasspath.complete(WorkerPool.builder().name("d").options());
        assertThat(options.classpathGiven()).isTrue();
        assertThat(options.name()).isEqualTo("d");
        List<String> classPath = WorkerClasspath.resolve(
                List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)),
                List.of(), List.of(), List.of(), Path.of(System.getProperty("java.home")), boot());
        assertThat(options.classpath()).startsWith(classPath.toArray(String[]::new))
                .contains(abs(Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())))
                .doesNotHaveDuplicates();
    }

    @Test
    void aWorkerThatCannotLoadForkpoolIsToldItsClassPathAndTheFix() {
        String hint = WorkerClasspath.missingClassHint("Error: Could not find or load main class io.forkpool.worker.WorkerMain\n"
                + "Caused by: java.lang.ClassNotFoundException: io.forkpool.worker.WorkerMain\n", List.of("/a.jar", "/b"));
        assertThat(hint).isEqualTo("\nThe workers could not load io.forkpool.worker.WorkerMain from their class path "
                + "2 entries [/a.jar, /b]. Give the pool a class path that holds forkpool's jars (pool-api, pool-runtime, "
                + "worker-bootstrap), their dependencies (Jackson, SLF4J) and the task classes: "
                + "WorkerPool.builder().classpath(List.of(\"lib/pool-runtime.jar\", …, \"my-tasks.jar\")).");
    }

    @Test
    void recognisesMissingDependenciesInEitherSpelling() {
        assertThat(WorkerClasspath.missingClassHint(
                "Exception in thread \"main\" java.lang.NoClassDefFoundError: tools/jackson/databind/ObjectMapper", List.of("/a")))
                .startsWith("\nThe workers could not load tools.jackson.databind.ObjectMapper from their class path 1 entry [/a]. ");
        assertThat(WorkerClasspath.missingClassHint("java.lang.ClassNotFoundException: org.slf4j.LoggerFactory", List.of("/a")))
                .startsWith("\nThe workers could not load org.slf4j.LoggerFactory from");
        assertThat(WorkerClasspath.missingClassHint("NoClassDefFoundError: com/fasterxml/jackson/annotation/JsonProperty",
                List.of("/a"))).startsWith("\nThe workers could not load com.fasterxml.jackson.annotation.JsonProperty from");
    }

    @Test
    void otherFailuresGetNoHint() {
        assertThat(WorkerClasspath.missingClassHint("Unrecognized option: -Xfoo", List.of("/a"))).isEmpty();
        assertThat(WorkerClasspath.missingClassHint("java.lang.ClassNotFoundException: com.example.MyTask", List.of("/a")))
                .isEmpty();
        assertThat(WorkerClasspath.missingClassHint("", List.of())).isEmpty();
    }

    @Test
    void aLongClassPathIsShortenedToItsEndsAndACount() {
        assertThat(WorkerClasspath.shorten(List.of("1", "2", "3", "4", "5", "6"))).isEqualTo("6 entries [1, 2, 3, 4, 5, 6]");
        assertThat(WorkerClasspath.shorten(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9")))
                .isEqualTo("9 entries [1, 2, 3, … 3 more …, 7, 8, 9]");
    }
}
