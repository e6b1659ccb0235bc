package io.forkpool.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds tiny java-agent jars whose premain misbehaves before the worker's main runs. */
final class Agents {

    private Agents() {
    }

    /** A jar whose agent sleeps forever in premain: a JVM that starts but never says hello. */
    static String sleepingAgentJar() throws IOException {
        Path jar = Files.createTempFile("forkpool-sleeping-agent", ".jar");
        jar.toFile().deleteOnExit();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", SleepingAgent.class.getName());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is all it needs: the agent class comes from the test class path
        }
        return jar.toString();
    }

    /** The agent: sleeps forever. */
    public static final class SleepingAgent {
        private SleepingAgent() {
        }

        /**
         * Agent entry point.
         *
         * @param args ignored
         * @throws InterruptedException never in practice
         */
        public static void premain(String args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
