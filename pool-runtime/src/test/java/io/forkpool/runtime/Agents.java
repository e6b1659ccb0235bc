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
        return agentJar(SleepingAgent.class);
    }

    /**
     * A jar whose agent exits with code 86 in premain once the file named by the system property
     * {@code forkpool.test.failBoot} exists: workers that boot fine until the test flips a switch.
     */
    static String failingAgentJar() throws IOException {
        return agentJar(FailingAgent.class);
    }

    private static String agentJar(Class<?> agent) throws IOException {
        Path jar = Files.createTempFile("forkpool-agent", ".jar");
        jar.toFile().deleteOnExit();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", agent.getName());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is all it needs: the agent class comes from the test class path
        }
        return jar.toString();
    }

    /** Exits at boot while the switch file exists. */
    public static final class FailingAgent {
        private FailingAgent() {
        }

        /**
         * Agent entry point.
         *
         * @param args ignored
         */
        public static void premain(String args) {
            String file = System.getProperty("forkpool.test.failBoot");
            if (file != null && Files.exists(Path.of(file))) {
                System.err.println("agent refuses to boot: " + file + " exists");
                System.exit(86);
            }
        }
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
            Thread.sleep(Long.MAX_VALUE); // the stimulus: a JVM that never gets to the worker's main
        }
    }
}
