package io.forkpool.runtime.internal.launch;

import io.forkpool.internal.process.Sessions;
import io.forkpool.runtime.internal.worker.WorkerLink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A real worker: its process, the Unix socket it connects to, and the token it must present.
 * Signals reach its whole session and its descendants ({@link ProcessTrees}); its session is
 * registered with the JVM's warden ({@link TreeGuard}) from spawn until its exit was handled.
 */
final class ProcessLink implements WorkerLink {

    private final Process process;
    private final ServerSocketChannel server;
    private final Path socket;
    private final String token;
    /** What the worker's standard output is, such as {@code pipe:[12345]}; read at spawn. */
    private final String outputPipe;

    ProcessLink(Process process, ServerSocketChannel server, Path socket, String token) {
        this.process = process;
        this.server = server;
        this.socket = socket;
        this.token = token;
        this.outputPipe = Sessions.fdTarget(process.pid(), 1).filter(t -> t.startsWith("pipe:")).orElse(null);
        if (TreeGuard.sessions()) {
            TreeGuard.warden().session(process.pid());
        }
    }

    /** @return the process, for tests */
    Process process() {
        return process;
    }

    /** @return the socket the worker connects to, for tests */
    Path socket() {
        return socket;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public ByteChannel accept() throws IOException {
        return server.accept();
    }

    @Override
    public InputStream output() {
        return process.getInputStream();
    }

    @Override
    public void closeLifeline() {
        try {
            process.getOutputStream().close(); // nothing is buffered: the bootstrap line was flushed
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void signal(boolean forcibly) {
        ProcessTrees.signal(process.toHandle(), forcibly);
    }

    @Override
    public CompletableFuture<?> onExit() {
        return process.onExit();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void killLeftovers() {
        if (TreeGuard.sessions()) {
            ProcessTrees.killSessionLeftovers(process.pid());
            TreeGuard.warden().sessionEnded(process.pid());
        }
    }

    @Override
    public int killOutputHolders() {
        return outputPipe == null ? 0 : Sessions.killHoldersOf(outputPipe);
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // best effort: the directory goes with the pool
        }
    }
}
