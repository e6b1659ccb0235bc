package io.forkpool.cluster;

import io.forkpool.examples.CountPrimes;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real node process started from {@code forkpool-node.jar}, as a user starts one, on loopback,
 * with the example and test tasks on its class path. Remembers its worker processes so a test can
 * check that they are gone after the node is.
 */
final class NodeProcess {

    final int port;
    final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final List<ProcessHandle> workers = new ArrayList<>();

    private NodeProcess(int port, Process process) {
        this.port = port;
        this.process = process;
        Thread reader = new Thread(this::read, "node-" + port + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a node on {@code port} that joins through {@code join}; does not wait for it. */
    static NodeProcess start(int port, List<Integer> join, int workers) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", System.getProperty("forkpool.node.jar"),
                "--port", Integer.toString(port), "--workers", Integer.toString(workers),
                "--classpath", taskClasspath()));
        if (!join.isEmpty()) {
            command.add("--join");
            command.add(String.join(",", join.stream().map(p -> "127.0.0.1:" + p).toList()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new NodeProcess(port, process);
    }

    /** Waits for the node's ready line, then records its worker processes. */
    NodeProcess awaitReady(Duration timeout) throws Exception {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("node on port " + port + " not ready within " + timeout + "; it wrote:\n" + output, e);
        }
        workers.addAll(process.descendants().toList());
        return this;
    }

    /** @return the node's worker processes, as seen when it became ready */
    List<ProcessHandle> workers() {
        return workers;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    String output() {
        return output.toString();
    }

    /** SIGKILL: the node gets no chance to leave the cluster or stop its workers. */
    void kill() {
        process.destroyForcibly();
    }

    /** Stops the node (SIGTERM, SIGKILL after {@code grace}) and waits until it and its workers are gone. */
    void stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("forkpool node ready at ")) {
                    ready.complete(line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        ready.completeExceptionally(new IllegalStateException("the node exited"));
    }

    /** The example tasks' jar (or classes) and this module's test classes. */
    private static String taskClasspath() {
        try {
            String examples = Path.of(CountPrimes.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            return examples + File.pathSeparator + System.getProperty("forkpool.test.classes");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A port free on loopback now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
