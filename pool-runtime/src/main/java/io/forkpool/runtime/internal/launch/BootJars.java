package io.forkpool.runtime.internal.launch;

import io.forkpool.internal.worker.PrivatePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Spring Boot executable jars and wars as a worker class path. Such a jar holds the application's
 * classes in a directory ({@code BOOT-INF/classes/}) and its libraries as jars inside the jar
 * ({@code BOOT-INF/lib/*.jar}), which only Boot's own class loader can read; a worker's
 * {@code -cp} needs files. So the libraries are extracted, each once, into a private cache
 * directory, and the classes copied into one jar there. A library's file name carries its
 * CRC-32 and size as the jar records them (the check the zip format itself makes), and the classes
 * jar's the SHA-256 of its entries' names, CRC-32s and sizes: a new build of the application adds
 * files, the same libraries are reused, and nothing is read twice. Each file is written under a
 * temporary name and moved into place, so a reader never sees half a jar, and its CRC-32 is checked
 * as it is written. The directory must be private ({@link PrivatePaths}): what is in it runs in
 * every worker.
 *
 * <p>The layout comes from the jar's manifest ({@code Spring-Boot-Classes}, {@code Spring-Boot-Lib},
 * {@code Spring-Boot-Classpath-Index}), so wars ({@code WEB-INF/…}) work as jars do. Not
 * thread-safe; used by one thread at a time, the one that builds a pool.
 */
final class BootJars {

    private static final String WAR_PROVIDED_LIB = "WEB-INF/lib-provided/";

    private final Path cache;

    /** @param cache the private directory to extract into; created when first needed */
    BootJars(Path cache) {
        this.cache = cache;
    }

    /**
     * The local jar a URL points into, for the URLs Spring Boot's class loaders use:
     * {@code jar:nested:/app.jar/!BOOT-INF/lib/a.jar!/} (Boot 3.2 and later),
     * {@code jar:file:/app.jar!/BOOT-INF/lib/a.jar!/} (before), and {@code nested:/app.jar/!BOOT-INF/classes/}.
     * Pure: the file is not read.
     *
     * @param url a class loader's URL or a code source
     * @return the outer jar, if the URL names something inside a local jar
     */
    static Optional<Path> outerJar(URL url) {
        String text = url.toString();
        if (text.startsWith("jar:")) {
            text = text.substring("jar:".length());
        }
        int end;
        if (text.startsWith("nested:")) {
            text = "file:" + text.substring("nested:".length());
            end = text.indexOf("/!");
        } else if (text.startsWith("file:") && url.getProtocol().equals("jar")) {
            end = text.indexOf("!/");
        } else {
            return Optional.empty();
        }
        if (end < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(new URI(text.substring(0, end).replace(" ", "%20"))));
        } catch (Exception e) { // not a path this platform can open
            return Optional.empty();
        }
    }

    /** Where a Boot jar keeps what a worker needs, from its manifest; empty for any other jar. */
    record Layout(String classes, List<String> libs, String index) {

        static Optional<Layout> of(Manifest manifest) {
            Attributes main = manifest == null ? null : manifest.getMainAttributes();
            if (main == null || main.getValue("Spring-Boot-Lib") == null && main.getValue("Spring-Boot-Classes") == null) {
                return Optional.empty();
            }
            String classes = main.getValue("Spring-Boot-Classes");
            String lib = main.getValue("Spring-Boot-Lib");
            List<String> libs = new ArrayList<>();
            if (lib != null) {
                libs.add(lib);
            }
            if (lib != null && lib.startsWith("WEB-INF/")) {
                libs.add(WAR_PROVIDED_LIB); // a war launched with java -jar reads both
            }
            return Optional.of(new Layout(classes == null ? "" : classes, libs, main.getValue("Spring-Boot-Classpath-Index")));
        }
    }

    /**
     * The files that stand for a jar on a worker's class path: for a Spring Boot jar, its classes
     * as one jar and then its libraries, in the order of its class path index, all extracted into
     * the cache; for any other jar or file, nothing.
     *
     * @param jar a local file
     * @return the extracted files, or an empty list if it is not a Spring Boot jar
     * @throws IOException if it is one and cannot be extracted, or the cache is not private
     */
    List<Path> unpack(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return List.of();
        }
        JarFile file;
        try {
            file = new JarFile(jar.toFile(), false);
        } catch (IOException e) {
            return List.of(); // not a jar at all
        }
        try (file) {
            Optional<Layout> layout = Layout.of(file.getManifest());
            if (layout.isEmpty()) {
                return List.of();
            }
            PrivatePaths.createPrivateDirectories(cache);
            List<Path> entries = new ArrayList<>();
            classesJar(file, jar, layout.get().classes()).ifPresent(entries::add);
            for (ZipEntry library : libraries(file, layout.get())) {
                entries.add(extract(file, library));
            }
            return entries;
        }
    }

    /** The libraries' entries: those the index names, in its order, then any others in the jar's order. */
    private static List<ZipEntry> libraries(JarFile file, Layout layout) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        ZipEntry index = layout.index() == null ? null : file.getEntry(layout.index());
        if (index != null) {
            try (InputStream in = file.getInputStream(index)) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String name = line.strip();
                    if (name.startsWith("- \"") && name.endsWith("\"")) {
                        names.add(name.substring(3, name.length() - 1));
                    }
                }
            }
        }
        for (Enumeration<? extends ZipEntry> all = file.entries(); all.hasMoreElements(); ) {
            ZipEntry entry = all.nextElement();
            for (String lib : layout.libs()) {
                String name = entry.getName();
                if (name.startsWith(lib) && name.endsWith(".jar") && name.indexOf('/', lib.length()) < 0) {
                    names.add(name);
                }
            }
        }
        List<ZipEntry> libraries = new ArrayList<>();
        for (String name : names) {
            ZipEntry entry = file.getEntry(name);
            if (entry != null && !entry.isDirectory()) {
                libraries.add(entry);
            }
        }
        return libraries;
    }

    private Path extract(JarFile file, ZipEntry entry) throws IOException {
        String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
        String base = name.substring(0, name.length() - ".jar".length());
        Path target = cache.resolve(String.format("%s-%08x-%d.jar", base, entry.getCrc(), entry.getSize()));
        if (current(target, entry.getSize())) {
            return target;
        }
        writeAtomically(target, stream -> {
            CRC32 crc = new CRC32();
            try (InputStream in = file.getInputStream(entry); OutputStream out = new CheckedOutputStream(stream, crc)) {
                in.transferTo(out);
            }
            if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                throw new IOException(entry.getName() + " in " + file.getName() + " does not match its CRC-32");
            }
        });
        return target;
    }

    /** The application's classes as one jar, named by what it holds; empty if the jar has none. */
    private Optional<Path> classesJar(JarFile file, Path jar, String prefix) throws IOException {
        if (prefix.isEmpty()) {
            return Optional.empty();
        }
        List<ZipEntry> classes = new ArrayList<>();
        MessageDigest digest = sha256();
        for (Enumeration<? extends ZipEntry> all = file.entries(); all.hasMoreElements(); ) {
            ZipEntry entry = all.nextElement();
            if (entry.getName().startsWith(prefix) && entry.getName().length() > prefix.length()) {
                classes.add(entry);
                digest.update((entry.getName() + '\0' + entry.getCrc() + '\0' + entry.getSize() + '\n')
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        if (classes.isEmpty()) {
            return Optional.empty();
        }
        String base = jar.getFileName().toString().replaceFirst("\\.[jw]ar$", "");
        Path target = cache.resolve(base + "-classes-" + HexFormat.of().formatHex(digest.digest(), 0, 12) + ".jar");
        if (current(target, -1)) {
            return Optional.of(target);
        }
        writeAtomically(target, stream -> {
            try (ZipOutputStream out = new ZipOutputStream(stream)) {
                for (ZipEntry entry : classes) {
                    out.putNextEntry(new ZipEntry(entry.getName().substring(prefix.length())));
                    if (!entry.isDirectory()) {
                        try (InputStream in = file.getInputStream(entry)) {
                            in.transferTo(out);
                        }
                    }
                    out.closeEntry();
                }
            }
        });
        return Optional.of(target);
    }

    /** What writes a file's content to a stream, and closes it. */
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a file under a temporary name in the cache, then moves it into place in one step. */
    private void writeAtomically(Path target, Content content) throws IOException {
        Path temporary = Files.createTempFile(cache, ".extracting-", ".jar");
        try {
            content.writeTo(Files.newOutputStream(temporary));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Whether an earlier run left the file complete: one of this user's, of the expected size if known. */
    private static boolean current(Path target, long size) throws IOException {
        return Files.exists(target, LinkOption.NOFOLLOW_LINKS) && PrivatePaths.whyNotPrivateFile(target).isEmpty()
                && (size < 0 || Files.size(target) == size);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
