package io.forkpool.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real cluster node, started as a user starts one: {@code java -jar forkpool-node.jar} in a
 * child process, listening on loopback, its output (stdout and stderr merged) in a log file.
 * Remembers its worker processes as they were when it became ready, so a test can check that they
 * are gone after the node is.
 *
 * <pre>{@code
 * ClusterNode a = ClusterNode.builder(nodeJar).port(ClusterNode.freePort()).workers(2)
 *         .taskClasspath(List.of(tasksJar)).start();
 * a.awaitReady(Duration.ofSeconds(90));
 * ...
 * a.stop(Duration.ofSeconds(20));
 * }</pre>
 *
 * <p>Thread-safe once started.
 */
public final class ClusterNode {

    /** How the node's ready line starts: it prints it once its workers run and it joined. */
    public static final String READY_PREFIX = "forkpool node ready at ";
    /** The JVM options every node gets, before the builder's own: small, quick to start. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private final int port;
    private final ChildProcess child;
    private final List<ProcessHandle> workers = new ArrayList<>();

    private ClusterNode(int port, ChildProcess child) {
        this.port = port;
        this.child = child;
    }

    /**
     * Starts describing a node.
     *
     * @param nodeJar the node launcher, {@code pool-cluster/target/forkpool-node.jar}
     * @return a builder
     * @throws IllegalArgumentException if there is no such file
     */
    public static Builder builder(Path nodeJar) {
        if (!Files.isRegularFile(nodeJar)) {
            throw new IllegalArgumentException("no node launcher at " + nodeJar + "; mvn -pl pool-cluster package builds it");
        }
        return new Builder(nodeJar);
    }

    /**
     * The address of a port on loopback, as {@code --join} and the cluster client take it.
     *
     * @param port a port
     * @return {@code 127.0.0.1:port}
     */
    public static String loopback(int port) {
        return "127.0.0.1:" + port;
    }

    /**
     * A port free on loopback now (another process may take it before the node does; rare).
     *
     * @return the port
     * @throws UncheckedIOException if no socket can be opened
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for the node's ready line, then records its worker processes (its descendants now).
     *
     * @param timeout how long the node may take to start its workers and join
     * @return the ready line
     * @throws AssertionError if the node exited or was not ready within the timeout; the message
     *     holds everything the node wrote
     * @throws IOException if the log cannot be read
     * @throws InterruptedException if interrupted while waiting
     */
    public String awaitReady(Duration timeout) throws IOException, InterruptedException {
        Optional<String> ready = child.awaitLine(line -> line.startsWith(READY_PREFIX), timeout);
        if (ready.isEmpty()) {
            throw new AssertionError("node on port " + port + " not ready within " + timeout + "; it wrote:\n" + output());
        }
        synchronized (workers) {
            workers.clear();
            workers.addAll(child.process().descendants().toList());
        }
        return ready.get();
    }

    /** @return the node's worker processes, as seen when it became ready; empty before */
    public List<ProcessHandle> workers() {
        synchronized (workers) {
            return List.copyOf(workers);
        }
    }

    /** @return the port the node listens on */
    public int port() {
        return port;
    }

    /** @return the node's address on loopback, {@code 127.0.0.1:port} */
    public String address() {
        return loopback(port);
    }

    /** @return the node's process */
    public Process process() {
        return child.process();
    }

    /** @return the file the node's output goes to */
    public Path log() {
        return child.stdoutFile();
    }

    /**
     * Everything the node wrote so far, stdout and stderr, decoded leniently.
     *
     * @return the text, or a note saying why it cannot be read
     */
    public String output() {
        try {
            return child.stdout();
        } catch (IOException e) {
            return "(cannot read " + log() + ": " + e + ")";
        }
    }

    /** SIGKILL: the node gets no chance to leave the cluster or stop its workers. */
    public void kill() {
        child.kill();
    }

    /**
     * Stops the node as an operator would: SIGTERM, then SIGKILL if it has not exited within
     * {@code grace}, and waits (up to 10 s more) for it to exit. Its workers are its own to stop.
     *
     * @param grace how long the node gets to exit after SIGTERM
     * @throws InterruptedException if interrupted while waiting
     */
    public void stop(Duration grace) throws InterruptedException {
        Process process = child.process();
        process.destroy();
        if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "node " + address() + " (pid " + child.process().pid() + ", log " + log() + ")";
    }

    /** What a node is started with; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {

        private final Path nodeJar;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> join = new ArrayList<>();
        private final List<String> taskClasspath = new ArrayList<>();
        private int port = -1;
        private int workers = 1;
        private Path log;

        private Builder(Path nodeJar) {
            this.nodeJar = nodeJar;
        }

        /**
         * The port to listen on; required.
         *
         * @param port a free port, see {@link ClusterNode#freePort()}
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * How many local worker JVMs the node runs (1 unless set).
         *
         * @param workers at least 1
         * @return this builder
         */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * Members to join through ({@code --join}); none unless set, so the node starts a cluster
         * of its own. May include the node's own address.
         *
         * @param addresses {@code host:port} addresses, see {@link ClusterNode#loopback(int)}
         * @return this builder
         */
        public Builder join(List<String> addresses) {
            addresses.forEach(address -> join.add(Objects.requireNonNull(address, "address")));
            return this;
        }

        /**
         * Jars and directories holding the task classes ({@code --classpath}).
         *
         * @param entries the entries, for example {@link ChildJvm#locationOf(Class)} of a task class
         * @return this builder
         */
        public Builder taskClasspath(List<String> entries) {
            entries.forEach(entry -> taskClasspath.add(Objects.requireNonNull(entry, "entry")));
            return this;
        }

        /**
         * JVM options for the node's own JVM, after {@link ClusterNode#DEFAULT_JVM_OPTIONS}.
         *
         * @param options options such as {@code -Dname=value}, each one argument
         * @return this builder
         */
        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /**
         * The file for the node's output; a temporary file, deleted when this JVM exits, unless
         * set.
         *
         * @param log the file, created or truncated
         * @return this builder
         */
        public Builder log(Path log) {
            this.log = log;
            return this;
        }

        /**
         * Starts the node; does not wait for it to be ready (see {@link ClusterNode#awaitReady}).
         *
         * @return the node
         * @throws IOException if the process or the log cannot be created
         * @throws IllegalStateException if no port was set
         */
        public ClusterNode start() throws IOException {
            if (port <= 0) {
                throw new IllegalStateException("a node needs a port");
            }
            List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port),
                    "--workers", Integer.toString(workers)));
            if (!taskClasspath.isEmpty()) {
                args.add("--classpath");
                args.add(String.join(File.pathSeparator, taskClasspath));
            }
            if (!join.isEmpty()) {
                args.add("--join");
                args.add(String.join(",", join));
            }
            List<String> command = ChildJvm.jar(nodeJar).jvmOptions(DEFAULT_JVM_OPTIONS).jvmOptions(jvmOptions)
                    .args(args).command();
            Path output = log;
            if (output == null) {
                output = Files.createTempFile("forkpool-node-" + port + "-", ".log");
                output.toFile().deleteOnExit();
            }
            return new ClusterNode(port, ChildProcess.startMerged(command, output));
        }
    }
}
