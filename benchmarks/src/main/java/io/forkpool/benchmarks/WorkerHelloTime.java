package io.forkpool.benchmarks;

import io.forkpool.WorkerPoolBuilder;
import io.forkpool.examples.CountPrimes;
import io.forkpool.internal.protocol.BootstrapLine;
import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameReader;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.FrameWriter;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.TaskRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long a worker JVM takes to say hello, and to answer its first task: the supervisor's side of
 * a worker's start played by hand, without a pool, so that the worker's own class path can be
 * chosen. Each run spawns {@code java} with the pool's default JVM options and the given class
 * path, running {@code io.forkpool.worker.WorkerMain}, writes the bootstrap line, accepts the
 * worker's connection and times, from just before the spawn, the HELLO frame's arrival and then
 * the RESULT of one {@link CountPrimes} task sent as soon as the hello is read; then it shuts the
 * worker down and waits for it to exit.
 *
 * <p>Several class paths, given as {@code name=path}, are run in turn, one run of each per round
 * (the order rotating each round), so that a machine whose load varies affects them alike; compare
 * their medians, not absolute figures. Every class path must hold {@code worker-bootstrap} with its
 * dependencies, and {@code prime-tasks} for the task. {@code --option-for NAME OPTION} adds a JVM
 * option to one class path's workers only, such as the {@code -XX:SharedArchiveFile} of an
 * archive recorded for it.
 *
 * <p>Run, after {@code mvn -B -q -pl benchmarks -am -DskipTests package}:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.forkpool.benchmarks.WorkerHelloTime [--runs N] \
 *     [--jvm-option OPTION]... [--option-for NAME OPTION]... NAME=CLASSPATH...
 * </pre>
 */
public final class WorkerHelloTime {

    private static final int MAX_FRAME = 1 << 20;

    private WorkerHelloTime() {
    }

    /** The times of one run, in milliseconds from the spawn. */
    private record Run(double hello, double result) {
    }

    /**
     * Runs the comparison.
     *
     * @param args {@code [--runs N] [--jvm-option OPTION]... [--option-for NAME OPTION]... NAME=CLASSPATH...}
     * @throws Exception if a worker does not start and answer as it should
     */
    public static void main(String[] args) throws Exception {
        int runs = 15;
        List<String> jvmOptions = new ArrayList<>(WorkerPoolBuilder.DEFAULT_JVM_OPTIONS);
        jvmOptions.add("-XX:+ExitOnOutOfMemoryError");
        Map<String, String> classpaths = new LinkedHashMap<>();
        Map<String, List<String>> optionsFor = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--jvm-option" -> jvmOptions.add(args[++i]);
                case "--option-for" -> {
                    optionsFor.computeIfAbsent(args[i + 1], name -> new ArrayList<>()).add(args[i + 2]);
                    i += 2;
                }
                default -> {
                    int equals = args[i].indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("expected NAME=CLASSPATH, got " + args[i]);
                    }
                    classpaths.put(args[i].substring(0, equals), args[i].substring(equals + 1));
                }
            }
        }
        if (classpaths.isEmpty()) {
            throw new IllegalArgumentException(
                    "usage: [--runs N] [--jvm-option OPTION]... [--option-for NAME OPTION]... NAME=CLASSPATH...");
        }
        List<String> names = new ArrayList<>(classpaths.keySet());
        Map<String, List<Run>> results = new LinkedHashMap<>();
        names.forEach(name -> results.put(name, new ArrayList<>()));
        for (int round = 0; round < runs; round++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((round + k) % names.size());
                List<String> options = new ArrayList<>(jvmOptions);
                options.addAll(optionsFor.getOrDefault(name, List.of()));
                Run run = run(options, classpaths.get(name));
                results.get(name).add(run);
                System.out.printf("round %2d %-10s hello %7.1f ms  first result %7.1f ms%n", round + 1, name,
                        run.hello(), run.result());
            }
        }
        System.out.println();
        System.out.println("median (min..max) over " + runs + " runs, ms from spawn; JVM options " + jvmOptions
                + (optionsFor.isEmpty() ? "" : ", and for some " + optionsFor));
        for (String name : names) {
            List<Run> list = results.get(name);
            System.out.printf("%-10s hello %s   first result %s%n", name,
                    summary(list.stream().mapToDouble(Run::hello).toArray()),
                    summary(list.stream().mapToDouble(Run::result).toArray()));
        }
    }

    private static String summary(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return String.format("%7.1f (%.1f..%.1f)", median, sorted[0], sorted[n - 1]);
    }

    private static Run run(List<String> jvmOptions, String classpath) throws Exception {
        Path directory = Files.createTempDirectory("forkpool-hello-time-");
        Path socket = directory.resolve("w.sock");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "io.forkpool.worker.WorkerMain"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket), 1);
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            OutputStream lifeline = process.getOutputStream();
            try {
                lifeline.write(BootstrapLine.encode(new Messages.Bootstrap(Messages.PROTOCOL_VERSION, socket.toString(),
                        "0123456789abcdef0123456789abcdef", 0, MAX_FRAME, ProcessHandle.current().pid(), 0,
                        List.of("*"))));
                lifeline.flush();
                try (SocketChannel channel = server.accept()) {
                    FrameReader reader = new FrameReader(channel, MAX_FRAME);
                    Frame hello = reader.read();
                    long helloAt = System.nanoTime();
                    if (hello == null || hello.type() != FrameType.HELLO) {
                        throw new IOException("expected a HELLO, got " + hello);
                    }
                    FrameWriter writer = new FrameWriter(channel, MAX_FRAME);
                    writer.appendTask(1, TaskRequest.encodeName(CountPrimes.class.getName()), 1,
                            "{\"from\":0,\"to\":1000}".getBytes(StandardCharsets.UTF_8));
                    writer.flush();
                    Frame reply;
                    while ((reply = reader.read()) != null && reply.type() == FrameType.STATUS) {
                        // a STATUS may come with the reply
                    }
                    long resultAt = System.nanoTime();
                    if (reply == null || reply.type() != FrameType.RESULT) {
                        throw new IOException("expected a RESULT, got " + reply);
                    }
                    writer.append(FrameType.SHUTDOWN, 0, Frame.EMPTY);
                    writer.flush();
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        throw new IOException("the worker did not exit after SHUTDOWN");
                    }
                    return new Run((helloAt - start) / 1e6, (resultAt - start) / 1e6);
                }
            } finally {
                lifeline.close();
                process.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(directory);
        }
    }
}
