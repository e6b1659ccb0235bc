package io.forkpool.itapp;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Runs {@link DefaultPoolApp} inside a child class loader, as {@code mvn exec:java}'s class realm,
 * an application server or a plugin host does: forkpool's jars are on that loader alone, not on
 * {@code java.class.path}, and it is the thread's context class loader.
 */
public final class ChildLoaderLauncher {

    private ChildLoaderLauncher() {
    }

    /**
     * Entry point.
     *
     * @param args the child loader's class path, entries separated by the path separator
     * @throws Exception if the application fails
     */
    public static void main(String[] args) throws Exception {
        String[] entries = args[0].split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = Path.of(entries[i]).toUri().toURL();
        }
        try (URLClassLoader realm = new URLClassLoader("realm", urls, ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(realm);
            Class.forName("io.forkpool.itapp.DefaultPoolApp", true, realm).getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {"child-loader"});
        }
    }
}
