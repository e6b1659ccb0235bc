package io.forkpool.runtime.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spring Boot jars made here entry by entry, as the Boot plugin lays them out, and unpacked. */
class BootJarsTest {

    @TempDir
    Path dir;

    private static final URLStreamHandler NESTED = new URLStreamHandler() {
        @Override
        protected URLConnection openConnection(URL url) {
            throw new UnsupportedOperationException();
        }
    };

    /** A jar of the given entries, each stored (as Boot stores its libraries) with the given text. */
    private Path jar(String name, Manifest manifest, Map<String, String> entries) throws IOException {
        Path path = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(path);
                JarOutputStream out = manifest == null ? new JarOutputStream(file) : new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                byte[] bytes = entry.getValue().getBytes(StandardCharsets.UTF_8);
                ZipEntry zip = new ZipEntry(entry.getKey());
                zip.setMethod(ZipEntry.STORED);
                zip.setSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                zip.setCrc(crc.getValue());
                out.putNextEntry(zip);
                out.write(bytes);
                out.closeEntry();
            }
        }
        return path;
    }

    private static Manifest boot(boolean index) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Main-Class", "org.springframework.boot.loader.launch.JarLauncher");
        main.putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
        main.putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
        if (index) {
            main.putValue("Spring-Boot-Classpath-Index", "BOOT-INF/classpath.idx");
        }
        return manifest;
    }

    private Path app(String name, String classText) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("org/springframework/boot/loader/launch/JarLauncher.class", "launcher");
        entries.put("BOOT-INF/classes/app/Main.class", classText);
        entries.put("BOOT-INF/classes/application.properties", "a=1");
        entries.put("BOOT-INF/lib/alpha-1.0.jar", "alpha bytes");
        entries.put("BOOT-INF/lib/beta-2.0.jar", "beta bytes");
        entries.put("BOOT-INF/classpath.idx", "- \"BOOT-INF/lib/beta-2.0.jar\"\n- \"BOOT-INF/lib/alpha-1.0.jar\"\n");
        return jar(name, boot(true), entries);
    }

    @Test
    void unpacksTheClassesAsOneJarThenTheLibrariesInIndexOrderIntoAPrivateCache() throws IOException {
        Path cache = dir.resolve("cache/nested-jars");
        List<Path> unpacked = new BootJars(cache).unpack(app("app.jar", "main v1"));

        assertThat(unpacked).hasSize(3);
        assertThat(unpacked.get(0).getFileName().toString()).startsWith("app-classes-").endsWith(".jar");
        assertThat(unpacked.get(1).getFileName().toString()).startsWith("beta-2.0-").endsWith("-10.jar");
        assertThat(unpacked.get(2).getFileName().toString()).startsWith("alpha-1.0-").endsWith("-11.jar");
        assertThat(unpacked).allSatisfy(path -> assertThat(path.getParent()).isEqualTo(cache));
        assertThat(Files.readString(unpacked.get(1))).isEqualTo("beta bytes");
        try (JarFile classes = new JarFile(unpacked.get(0).toFile())) {
            assertThat(new String(classes.getInputStream(classes.getEntry("app/Main.class")).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo("main v1");
            assertThat(classes.getEntry("application.properties")).isNotNull();
            assertThat(classes.getEntry("org/springframework/boot/loader/launch/JarLauncher.class")).isNull();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unpacked.get(1)))).isEqualTo("rw-------");
        try (var left = Files.list(cache)) {
            assertThat(left).as("no temporary file left").hasSize(3);
        }
    }

    @Test
    void aNewBuildReusesTheLibrariesItSharesAndGetsItsOwnClassesJar() throws IOException {
        Path cache = dir.resolve("cache");
        List<Path> first = new BootJars(cache).unpack(app("app.jar", "main v1"));
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first.get(1), written);

        List<Path> second = new BootJars(cache).unpack(app("app2.jar", "main v2"));

        assertThat(second.subList(1, 3)).isEqualTo(first.subList(1, 3));
        assertThat(Files.getLastModifiedTime(second.get(1))).as("reused, not written again").isEqualTo(written);
        assertThat(second.get(0)).isNotEqualTo(first.get(0));
    }

    @Test
    void aTruncatedLibraryIsWrittenAgain() throws IOException {
        Path cache = dir.resolve("cache");
        List<Path> first = new BootJars(cache).unpack(app("app.jar", "main"));
        Files.writeString(first.get(1), "be");

        List<Path> again = new BootJars(cache).unpack(dir.resolve("app.jar"));

        assertThat(Files.readString(again.get(1))).isEqualTo("beta bytes");
    }

    @Test
    void withoutAnIndexTheLibrariesComeInTheJarsOrder() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("BOOT-INF/lib/zeta.jar", "z");
        entries.put("BOOT-INF/lib/nested/skipped.jar", "no");
        entries.put("BOOT-INF/lib/alpha.jar", "a");
        List<Path> unpacked = new BootJars(dir.resolve("cache")).unpack(jar("noindex.jar", boot(false), entries));
        assertThat(unpacked).extracting(path -> path.getFileName().toString().replaceFirst("-.*", ""))
                .containsExactly("zeta", "alpha");
    }

    @Test
    void anyOtherFileStandsForNothingAndCreatesNoCache() throws IOException {
        Path cache = dir.resolve("cache");
        BootJars bootJars = new BootJars(cache);
        assertThat(bootJars.unpack(jar("plain.jar", null, Map.of("a/A.class", "x")))).isEmpty();
        assertThat(bootJars.unpack(Files.writeString(dir.resolve("text.jar"), "not a zip"))).isEmpty();
        assertThat(bootJars.unpack(dir.resolve("missing.jar"))).isEmpty();
        assertThat(cache).doesNotExist();
    }

    @Test
    void refusesACacheDirectoryOthersCanWrite() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path app = app("app.jar", "main");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BootJars(cache).unpack(app))
                .isInstanceOf(IOException.class).hasMessageContaining("is writable by others than its owner");
    }

    @Test
    void findsTheOuterJarOfEachUrlFormSpringBootUses() throws Exception {
        Path app = dir.resolve("my app.jar");
        String raw = app.toUri().getRawPath();
        assertThat(BootJars.outerJar(new URL(null, "jar:nested:" + raw + "/!BOOT-INF/lib/a.jar!/", NESTED))).hasValue(app);
        assertThat(BootJars.outerJar(new URL(null, "nested:" + raw + "/!BOOT-INF/classes/", NESTED))).hasValue(app);
        assertThat(BootJars.outerJar(new URL("jar:file:" + raw + "!/BOOT-INF/lib/a.jar!/"))).hasValue(app);
        assertThat(BootJars.outerJar(new URL("jar:file:" + raw + "!/BOOT-INF/classes!/"))).hasValue(app);
        assertThat(BootJars.outerJar(app.toUri().toURL())).isEmpty();
        assertThat(BootJars.outerJar(new URL("http://localhost/a.jar"))).isEmpty();
    }
}
