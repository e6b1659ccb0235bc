package io.forkpool.runtime.internal.launch;

import io.forkpool.PoolOptions;
import io.forkpool.internal.process.Warden;
import io.forkpool.internal.protocol.BootstrapLine;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.runtime.internal.worker.WorkerLink;
import io.forkpool.runtime.internal.worker.WorkerSpawner;
import io.forkpool.worker.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Spawns worker processes. Each worker gets its own Unix domain socket in a directory only this
 * user can enter (0700), and a random token; both travel on the worker's standard input, never on
 * its command line. The command is an argument list handed to {@link ProcessBuilder}: no shell
 * ever sees it, so no option or path can be interpreted as shell syntax.
 */
public final class WorkerLauncher implements WorkerSpawner {

    /** JVM options every worker gets after the user's, so they cannot be switched off by accident. */
    static final List<String> REQUIRED_JVM_OPTIONS = List.of("-XX:+ExitOnOutOfMemoryError");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ProcessHandle SELF = ProcessHandle.current();
    private static final long SELF_START_MILLIS =
            SELF.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);

    private final PoolOptions options;
    private final Path socketDirectory;
    private final ClassDataArchive archive; // null: workers start without one

    /**
     * @param options the pool's options
     * @throws IOException if the private socket directory cannot be created
     */
    public WorkerLauncher(PoolOptions options) throws IOException {
        this.options = options;
        this.socketDirectory = SocketDirectory.create();
        TreeGuard.warden().directory(socketDirectory);
        this.archive = ClassDataArchive.of(options);
    }

    /**
     * The worker's command line: {@link TreeGuard#commandPrefix} ({@code setsid}, {@code setpriv
     * --pdeathsig KILL}), then the worker, started from the class-data archive once there is one.
     */
    List<String> command() {
        List<String> command = new ArrayList<>(TreeGuard.commandPrefix());
        if (!options.workerCommand().isEmpty()) {
            command.addAll(options.workerCommand());
        } else {
            command.addAll(javaWorkerCommand(options, archive == null ? List.of() : archive.jvmOptions()));
        }
        return List.copyOf(command);
    }

    /**
     * The Java worker's command: {@code java}, the pool's JVM options, {@link #REQUIRED_JVM_OPTIONS},
     * the extra options, the class path, {@code WorkerMain} and its arguments. Shared by the
     * workers and the JVM that records their class-data archive, so both run the same JVM.
     */
    static List<String> javaWorkerCommand(PoolOptions options, List<String> extraJvmOptions, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(options.javaExecutable().toString());
        // A JDK 25+ AOT cache refuses to start beside any -Xshare option; -Xshare:auto (a default)
        // only says "use class sharing if you can", which the AOT cache does.
        boolean aotCache = extraJvmOptions.stream().anyMatch(option -> option.startsWith("-XX:AOTCache"));
        for (String option : options.jvmOptions()) {
            if (!(aotCache && option.equals("-Xshare:auto"))) {
                command.add(option);
            }
        }
        command.addAll(REQUIRED_JVM_OPTIONS);
        command.addAll(extraJvmOptions);
        command.add("-cp");
        command.add(absoluteClasspath(options));
        command.add(WorkerMain.class.getName());
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * The class path with every entry made absolute against the supervisor's working directory:
     * a worker may run in another directory ({@code workingDirectory}), and a class-data archive
     * records the class path it was made with, so one recorded from a relative path would be
     * silently refused by a worker started with the same jars from elsewhere.
     */
    static String absoluteClasspath(PoolOptions options) {
        return options.classpath().stream().map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * Gives a child the workers' environment and working directory. The environment is an
     * allow-list, not a deny-list: a secret in the supervisor's environment stays there.
     */
    static ProcessBuilder asWorker(ProcessBuilder builder, PoolOptions options) {
        builder.directory(options.workingDirectory().toFile());
        builder.environment().keySet().retainAll(options.inheritedEnvironment());
        builder.environment().putAll(options.environment());
        return builder;
    }

    @Override
    public String program() {
        return options.workerCommand().isEmpty() ? options.javaExecutable().toString() : options.workerCommand().get(0);
    }

    @Override
    public String startupHint(String outputTail) {
        return options.workerCommand().isEmpty() ? WorkerClasspath.missingClassHint(outputTail, options.classpath()) : "";
    }

    /**
     * Binds a fresh socket, starts the process and writes its bootstrap line. Does not wait for
     * the worker to connect.
     */
    @Override
    public WorkerLink spawn(int workerId, int incarnation) throws IOException {
        Path program = Path.of(program());
        if (program.isAbsolute() && !Files.isExecutable(program)) {
            throw new IOException("no executable file at " + program);
        }
        if (!Files.isDirectory(options.workingDirectory())) {
            throw new IOException("the workers' working directory " + options.workingDirectory().toAbsolutePath()
                    + " is not a directory");
        }
        Path socket = socketDirectory.resolve("w" + workerId + "-" + incarnation + ".sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket), 1);
            String token = newToken();
            Process process = Spawner.start(asWorker(new ProcessBuilder(command()), options).redirectErrorStream(true));
            writeBootstrap(process, new Messages.Bootstrap(Messages.PROTOCOL_VERSION, socket.toString(), token,
                    workerId, options.maxFrameLength(), SELF.pid(), SELF_START_MILLIS, options.allowedTasks()));
            return new ProcessLink(process, server, socket, token);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            throw e;
        }
    }

    private void writeBootstrap(Process process, Messages.Bootstrap bootstrap) {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write(BootstrapLine.encode(bootstrap));
            stdin.flush();
        } catch (IOException e) {
            // The worker died at once; its exit is reported through onExit with its output.
        }
    }

    private static String newToken() {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    /**
     * Records the workers' class-data archive in the background if there is none yet; see
     * {@link ClassDataArchive}.
     *
     * @return the recording process, or {@code null} if nothing is being recorded
     */
    public Process recordClassDataArchive() {
        return archive == null ? null : archive.recordInBackground();
    }

    /** Deletes the socket directory and anything left in it. */
    @Override
    public void close() {
        Warden.removeDirectory(socketDirectory);
        TreeGuard.warden().directoryRemoved(socketDirectory);
    }
}
