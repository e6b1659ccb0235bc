package io.forkpool.internal.worker;

import io.forkpool.PoolOptions;
import io.forkpool.internal.process.Sessions;
import io.forkpool.internal.protocol.BootstrapReader;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.WorkerExitCodes;
import io.forkpool.spi.TaskAllowList;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The worker's standard input: first the bootstrap line, then the lifeline. The supervisor never
 * writes to it again and keeps it open; when the supervisor dies, even by SIGKILL, the kernel
 * closes the pipe and the read returns end-of-file within milliseconds.
 */
public final class Lifeline {

    /** The bootstrap line is small; anything longer is not from a forkpool supervisor. */
    static final int MAX_BOOTSTRAP_LINE = 16 * 1024;

    private Lifeline() {
    }

    /**
     * Reads the bootstrap line byte by byte, so nothing after it is consumed. The line is read
     * without Jackson ({@link BootstrapReader}), which a worker then loads only after its hello; a
     * line that reader leaves undecided, such as a malformed one, is read by the control mapper,
     * which accepts or rejects it with the same values and messages as ever.
     *
     * @param stdin the raw standard input
     * @return the parsed bootstrap
     * @throws IOException if the input ends or the line is too long or invalid
     */
    public static Messages.Bootstrap readBootstrap(InputStream stdin) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = stdin.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("standard input ended before the bootstrap line");
            }
            if (line.size() >= MAX_BOOTSTRAP_LINE) {
                throw new IOException("bootstrap line longer than " + MAX_BOOTSTRAP_LINE + " bytes");
            }
            line.write(b);
        }
        return parse(line.toByteArray());
    }

    /**
     * Decodes and checks a bootstrap line: without Jackson if {@link BootstrapReader} decides it,
     * else with the control mapper.
     *
     * @param line the line without its {@code \n}
     * @return the checked fields
     * @throws IOException if the line is invalid
     */
    static Messages.Bootstrap parse(byte[] line) throws IOException {
        Messages.Bootstrap bootstrap = BootstrapReader.read(line).orElse(null);
        return validated(bootstrap != null ? bootstrap : Messages.decode(line, Messages.Bootstrap.class));
    }

    /**
     * Checks the fields of a decoded bootstrap line.
     *
     * @param bootstrap the line's fields
     * @return {@code bootstrap}
     * @throws IOException if a field is missing or out of range
     */
    static Messages.Bootstrap validated(Messages.Bootstrap bootstrap) throws IOException {
        if (bootstrap.protocolVersion() != Messages.PROTOCOL_VERSION) {
            throw new IOException("supervisor speaks protocol version " + bootstrap.protocolVersion()
                    + ", this worker speaks " + Messages.PROTOCOL_VERSION);
        }
        if (bootstrap.socketPath() == null || bootstrap.socketPath().isEmpty()
                || bootstrap.token() == null || bootstrap.token().isEmpty()) {
            throw new IOException("bootstrap line lacks socketPath or token");
        }
        if (!bootstrap.socketPath().startsWith("/")) { // a relative path would depend on the worker's directory
            throw new IOException("bootstrap socketPath \"" + bootstrap.socketPath() + "\" is not an absolute path");
        }
        if (bootstrap.allowedTasks() != null && bootstrap.allowedTasks().contains(null)) {
            throw new IOException("bootstrap allowedTasks: an entry is null");
        }
        if (bootstrap.maxFrameLength() < PoolOptions.MIN_FRAME_LENGTH
                || bootstrap.maxFrameLength() > PoolOptions.MAX_FRAME_LENGTH_LIMIT) {
            throw new IOException("bootstrap maxFrameLength " + bootstrap.maxFrameLength() + " is outside ["
                    + PoolOptions.MIN_FRAME_LENGTH + ", " + PoolOptions.MAX_FRAME_LENGTH_LIMIT + "]");
        }
        if (bootstrap.workerId() < 0 || bootstrap.supervisorPid() < 0 || bootstrap.supervisorStartMillis() < 0) {
            throw new IOException("bootstrap workerId, supervisorPid and supervisorStartMillis must not be negative");
        }
        try {
            allowedTasks(bootstrap);
        } catch (IllegalArgumentException e) {
            throw new IOException("bootstrap allowedTasks: " + e.getMessage(), e);
        }
        return bootstrap;
    }

    /**
     * The task allow-list a bootstrap line carries.
     *
     * @param bootstrap a bootstrap line that {@link #readBootstrap} accepted
     * @return its list, or one allowing any task if the supervisor sent none
     */
    public static TaskAllowList allowedTasks(Messages.Bootstrap bootstrap) {
        return TaskAllowList.of(bootstrap.allowedTasks() == null ? List.of(TaskAllowList.ANY) : bootstrap.allowedTasks());
    }

    /** How often the backup watch looks at the supervisor process. */
    static final long PARENT_POLL_MILLIS = 100;

    /**
     * Starts the backup watch: a daemon thread that halts the JVM when the supervisor process is
     * gone or its pid now names another process (compared by start time). Standard input's EOF is
     * the primary signal; this covers a supervisor whose stdin pipe was inherited by another
     * process that keeps it open.
     *
     * @param supervisorPid the supervisor's pid, or 0 to skip the watch (skipped too when this
     *     process's parent is outside its pid namespace, {@link #watchApplies})
     * @param supervisorStartMillis its start time in epoch millis, or 0 if unknown
     * @param workerId for the thread name
     */
    public static void watchSupervisor(long supervisorPid, long supervisorStartMillis, int workerId) {
        if (!watchApplies(supervisorPid, ProcessHandle.current().parent().isPresent())) {
            return;
        }
        Thread watcher = new Thread(() -> {
            while (isSame(supervisorPid, supervisorStartMillis)) {
                try {
                    Thread.sleep(PARENT_POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("forkpool worker " + workerId + ": supervisor " + supervisorPid + " is gone");
            orphaned();
        }, "forkpool-worker-" + workerId + "-supervisor-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Whether the backup watch can work (PROTOCOL.md 2.4): the supervisor sent its pid, and this
     * process has a parent it can see. A parent pid of 0 (no parent, to the JDK) means the parent
     * is outside this process's pid namespace (a worker started in a container, say), where the
     * supervisor's pid names another process or none, and only the lifeline can tell.
     *
     * @param supervisorPid the supervisor's pid from the bootstrap line, 0 if unknown
     * @param parentVisible whether this process's parent is visible (its parent pid is not 0)
     * @return whether to start the watch
     */
    static boolean watchApplies(long supervisorPid, boolean parentVisible) {
        return supervisorPid > 0 && parentVisible;
    }

    private static boolean isSame(long pid, long startMillis) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(p -> startMillis == 0 || p.info().startInstant()
                        // Two JDKs may round the start time differently; a reused pid is off by far more.
                        .map(i -> Math.abs(i.toEpochMilli() - startMillis) < 2_000).orElse(true))
                .orElse(false);
    }

    /**
     * Starts the daemon thread that halts the JVM when standard input ends. It halts rather than
     * exits so that no shutdown hook registered by task code can keep an orphaned worker alive.
     *
     * @param stdin the raw standard input, positioned after the bootstrap line
     * @param workerId for the thread name
     */
    public static void watch(InputStream stdin, int workerId) {
        Thread watcher = new Thread(() -> {
            byte[] sink = new byte[256];
            try {
                while (stdin.read(sink) >= 0) {
                    // the supervisor writes nothing more; ignore stray bytes
                }
            } catch (IOException e) {
                // a broken pipe means the same as end of input
            }
            orphaned();
        }, "forkpool-worker-" + workerId + "-lifeline");
        watcher.setDaemon(true);
        watcher.setPriority(Thread.MAX_PRIORITY);
        watcher.start();
    }

    /** How long an ending worker keeps killing a session that keeps forking before it halts anyway. */
    static final long SESSION_KILL_BOUND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static void orphaned() {
        halt(WorkerExitCodes.LIFELINE_LOST);
    }

    /**
     * Ends the worker once it has served: kills everything it started — its session, when it leads
     * one, as a worker started through {@code setsid} does — then halts the JVM, so that no
     * shutdown hook of task code can keep it alive. The supervisor kills the session too, and its
     * warden when it is gone; this covers a worker that ends while nobody else can, as long as it
     * runs (a stopped worker is ended by its parent-death signal, its children by the warden).
     *
     * @param exitCode the exit code
     */
    public static void halt(int exitCode) {
        long self = ProcessHandle.current().pid();
        if (Sessions.leads(self)) {
            Sessions.killUntilEmpty(List.of(self), SESSION_KILL_BOUND_NANOS);
        }
        Runtime.getRuntime().halt(exitCode);
    }
}
