package io.forkpool.runtime.internal.launch;

import io.forkpool.WorkerPool;
import io.forkpool.internal.process.Sessions;
import io.forkpool.internal.process.Warden;
import io.forkpool.runtime.internal.exec.JvmThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes a worker's whole process tree die with its supervisor, in one place, for the life of
 * the JVM. Three mechanisms, each detected once, each falling back with a one-time WARN:
 *
 * <ol>
 *   <li>{@code setsid}: every worker leads a session of its own, so everything it starts can be
 *       found and killed as that session ({@link Sessions}).</li>
 *   <li>{@code setpriv --pdeathsig KILL} (util-linux): the kernel SIGKILLs the worker the moment
 *       its supervisor dies — also a stopped or hung worker, which no lifeline thread of its own
 *       can end. Without it, a worker ends on its lifeline (end of standard input), which a stopped
 *       worker only notices once it is continued.</li>
 *   <li>The {@link Warden}: one small JVM per supervisor JVM, outside the supervisor, told of
 *       every worker session; when the supervisor dies it kills those sessions until they are
 *       empty — the task's own children, double-forked and {@code nohup} ones, stopped ones
 *       included. Without it, a running worker kills its own session when its lifeline ends, and
 *       the children of a stopped worker survive it.</li>
 * </ol>
 *
 * System properties, for tests of the fallbacks: {@code io.forkpool.setpriv} (the setpriv to use,
 * default {@code /usr/bin/setpriv}) and {@code io.forkpool.warden=false}.
 */
final class TreeGuard {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");

    /** Where {@code setsid} is; a JDK child is never a group leader, so it execs in place and keeps its pid. */
    static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final boolean HAS_SETSID = Files.isExecutable(SETSID);
    private static final Path NICE = Path.of("/usr/bin/nice");

    private static final List<String> PREFIX = prefix();
    private static final WardenLink WARDEN = new WardenLink();

    private TreeGuard() {
    }

    /** @return what a worker's command starts with: {@code setsid}, then {@code setpriv}, where they work */
    static List<String> commandPrefix() {
        return PREFIX;
    }

    /** @return whether workers lead their own sessions */
    static boolean sessions() {
        return HAS_SETSID;
    }

    /** @return the JVM's warden, started on first use */
    static WardenLink warden() {
        return WARDEN;
    }

    private static List<String> prefix() {
        List<String> prefix = new ArrayList<>();
        if (HAS_SETSID) {
            prefix.add(SETSID.toString());
        } else {
            LOG.warn("{} not found: a worker's children are found only while they descend from it, and "
                    + "double-forked ones escape", SETSID);
        }
        Path setpriv = Path.of(System.getProperty("io.forkpool.setpriv", "/usr/bin/setpriv"));
        String why = pdeathsigWorks(setpriv);
        if (why == null) {
            prefix.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--"));
        } else {
            LOG.warn("{}: a stopped worker survives a SIGKILLed supervisor until it is continued "
                    + "(util-linux setpriv --pdeathsig sets the parent-death signal)", why);
        }
        return List.copyOf(prefix);
    }

    /** @return {@code null} if {@code setpriv --pdeathsig KILL} runs a program here, else why not */
    private static String pdeathsigWorks(Path setpriv) {
        if (!Files.isExecutable(setpriv)) {
            return "no setpriv at " + setpriv;
        }
        try {
            Process probe = new ProcessBuilder(setpriv.toString(), "--pdeathsig", "KILL", "--", setpriv.toString(),
                    "--version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            probe.getOutputStream().close();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return setpriv + " --pdeathsig did not finish within 10 s";
            }
            return probe.exitValue() == 0 ? null : setpriv + " --pdeathsig KILL failed with exit code " + probe.exitValue();
        } catch (IOException e) {
            return "cannot run " + setpriv + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing " + setpriv;
        }
    }

    /**
     * The supervisor's end of the warden's pipe. Lines are queued and written by a thread of its
     * own ({@code forkpool-warden}), so a stopped warden whose pipe fills delays nobody; that
     * thread also starts the warden, off every caller's path.
     */
    static final class WardenLink {

        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private volatile Process process;
        /** Whether lines are still wanted: false once the warden is off, failed to start, or is gone. */
        private volatile boolean listening = true;

        private WardenLink() {
            if (!Boolean.parseBoolean(System.getProperty("io.forkpool.warden", "true"))) {
                LOG.warn("the warden is switched off (io.forkpool.warden=false): a stopped worker's children "
                        + "survive a SIGKILLed supervisor");
                listening = false;
                return;
            }
            if (!Sessions.listable()) {
                listening = false;
                return; // no /proc: nothing a warden could find
            }
            Thread thread = JvmThreads.create(this::run, "forkpool-warden");
            thread.start();
        }

        /** @param pid a worker that now leads a session */
        void session(long pid) {
            say("S+ " + pid);
        }

        /** @param pid a worker whose exit was handled and whose session was emptied */
        void sessionEnded(long pid) {
            say("S- " + pid);
        }

        /** @param dir a pool's private socket directory, created */
        void directory(Path dir) {
            say("D+ " + dir);
        }

        /** @param dir that directory, removed */
        void directoryRemoved(Path dir) {
            say("D- " + dir);
        }

        private void say(String line) {
            if (listening) {
                lines.add(line);
            }
        }

        /** @return the warden's process, once it listens; {@code null} before, or if it could not start */
        Process process() {
            return process;
        }

        private void run() {
            Process started;
            try {
                started = start();
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot start the warden ({}): a stopped worker's children survive a SIGKILLed supervisor",
                        e.getMessage());
                listening = false;
                lines.clear();
                return;
            }
            process = started;
            OutputStream pipe = started.getOutputStream();
            try {
                while (true) {
                    String line = lines.take();
                    pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                    if (lines.isEmpty()) {
                        pipe.flush();
                    }
                }
            } catch (IOException | InterruptedException e) {
                listening = false;
                lines.clear();
                LOG.warn("the warden (pid {}) is gone ({}): a stopped worker's children survive a SIGKILLed supervisor",
                        started.pid(), e.toString());
            }
        }

        /** Starts the warden in a session of its own and waits for its READY. */
        private static Process start() throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>();
            if (HAS_SETSID) {
                command.add(SETSID.toString()); // no terminal signal that reaches the supervisor's group reaches it
            }
            if (Files.isExecutable(NICE)) {
                // It boots while the first workers do, on the same CPUs: let them go first. A sweep
                // is a few scans of /proc, which a nice of 10 does not delay noticeably.
                command.addAll(List.of(NICE.toString(), "-n", "10"));
            }
            command.addAll(List.of(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Xms4m", "-Xmx16m", "-Xss256k", "-XX:-UsePerfData", "-cp", codeSource(), Warden.class.getName()));
            Process warden = new ProcessBuilder(command).redirectErrorStream(true)
                    .directory(Path.of(System.getProperty("java.io.tmpdir")).toFile()).start();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(warden.getInputStream(), StandardCharsets.US_ASCII))) {
                String first = out.readLine();
                if (!Warden.READY.equals(first)) {
                    warden.destroyForcibly();
                    throw new IOException("it said " + (first == null ? "nothing" : "'" + first + "'")
                            + (warden.isAlive() ? "" : " and exited"));
                }
            }
            LOG.debug("warden pid {} started", warden.pid());
            return warden;
        }

        /**
         * Where the warden's class was loaded from: a jar, or a directory of classes; inside a
         * Spring Boot jar, the library that holds it, unpacked as a pool's workers get it.
         */
        private static String codeSource() throws IOException {
            URL location;
            try {
                location = Warden.class.getProtectionDomain().getCodeSource().getLocation();
                if ("file".equals(location.getProtocol())) {
                    return Path.of(location.toURI()).toString();
                }
            } catch (URISyntaxException | RuntimeException e) {
                throw new IOException("cannot tell where " + Warden.class.getName() + " was loaded from", e);
            }
            Optional<Path> bootJar = BootJars.outerJar(location);
            if (bootJar.isPresent()) {
                BootJars unpacker = new BootJars(WorkerClasspath.nestedJarCache(WorkerPool.builder().options().classDataCache()));
                String entry = Warden.class.getName().replace('.', '/') + ".class";
                for (Path jar : unpacker.unpack(bootJar.get())) {
                    try (JarFile file = new JarFile(jar.toFile())) {
                        if (file.getEntry(entry) != null) {
                            return jar.toString();
                        }
                    }
                }
            }
            throw new IOException("cannot give the warden a class path: " + Warden.class.getName() + " was loaded from "
                    + location);
        }
    }
}
