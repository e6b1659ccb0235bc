package io.forkpool.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample application as the Spring Boot plugin packs it, launched with {@code java -jar}: its
 * pool, built without {@code classpath(...)}, unpacks the jar's libraries and classes once into
 * its cache and counts exactly, with no warning (the warden, also inside the jar, starts); a
 * second launch reuses what the first unpacked.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SpringBootJarIT {

    @TempDir
    Path dir;

    private final Path bootJar = Path.of(System.getProperty("forkpool.sample.bootJar"));

    @Test
    void aSpringBootJarGetsItsPoolWithoutSettingAClasspath() throws Exception {
        try (JarFile jar = new JarFile(bootJar.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
            assertThat(jar.stream().map(entry -> entry.getName()))
                    .anyMatch(name -> name.matches("BOOT-INF/lib/pool-runtime-.*\\.jar"))
                    .contains("BOOT-INF/classes/io/forkpool/samples/WorkerClassPath.class");
        }
        Path cache = dir.resolve("cache");

        List<String> first = run(cache, "first");
        List<Path> unpacked = listed(cache.resolve("nested-jars"));
        List<String> second = run(cache, "second");

        // The application's classes jar and each library, slf4j-simple included, and nothing else.
        long libraries;
        try (JarFile jar = new JarFile(bootJar.toFile())) {
            libraries = jar.stream().filter(entry -> entry.getName().matches("BOOT-INF/lib/[^/]+\\.jar")).count();
        }
        String expected = "worker class path: " + (libraries + 1) + " entries, " + (libraries + 1)
                + " unpacked from a Spring Boot jar";
        assertThat(first).containsExactly("π(1000000) = 78498", expected);
        assertThat(second).isEqualTo(first);
        assertThat(unpacked).hasSize((int) libraries + 1);
        assertThat(listed(cache.resolve("nested-jars"))).as("the second launch unpacked nothing new").isEqualTo(unpacked);
    }

    private List<String> run(Path cache, String name) throws Exception {
        List<String> command = ChildJvm.jar(bootJar).jvmOptions("-Dforkpool.cache.dir=" + cache)
                .args("1000000", "78498").command();
        ChildProcess child = ChildProcess.start(command, dir.resolve(name + ".out"), dir.resolve(name + ".err"));
        try {
            assertThat(child.awaitExit(Duration.ofSeconds(120))).as("the application ended").isTrue();
            assertThat(child.process().exitValue()).as(child.stderr()).isZero();
            // Nothing degraded either: the warden, whose class is inside the jar too, started.
            assertThat(child.stderr().lines().filter(line -> line.contains("WARN"))).as("warnings").isEmpty();
            return child.stdout().lines().toList();
        } finally {
            child.process().descendants().forEach(ProcessHandle::destroyForcibly);
            child.process().destroyForcibly();
        }
    }

    private static List<Path> listed(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
