package io.forkpool.runtime.internal.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ByteChannel;
import java.util.concurrent.CompletableFuture;

/**
 * The seam between a worker driver and the operating system: one spawned worker, as the driver
 * sees it. The real one is a process with a Unix socket ({@code ProcessLink}); tests use an
 * in-memory worker over pipes, so that retry, timeout, cancel and shutdown logic runs without a
 * process.
 *
 * <p>Thread-safe. No method but {@link #accept} blocks.
 */
public interface WorkerLink {

    /** @return the worker's process id */
    long pid();

    /** @return the token the worker must present in its hello */
    String token();

    /**
     * Waits for the worker to connect. {@link #close} ends the wait with an exception.
     *
     * @return the channel frames travel on, both ways
     * @throws IOException if no connection can be had
     */
    ByteChannel accept() throws IOException;

    /** @return the worker's merged standard output and error; ends when the worker and its children close it */
    InputStream output();

    /** Closes the worker's lifeline (its standard input): a worker halts when it ends. */
    void closeLifeline();

    /**
     * Signals the worker, its session and its descendants.
     *
     * @param forcibly SIGKILL if true, else SIGTERM
     */
    void signal(boolean forcibly);

    /** @return completes when the worker process has exited */
    CompletableFuture<?> onExit();

    /** @return whether the worker process is alive */
    boolean isAlive();

    /** @return the exit code, once {@link #onExit()} completed */
    int exitValue();

    /** Kills whatever the exited worker left behind in its session, until the session is empty. */
    void killLeftovers();

    /**
     * Kills the processes that still hold the exited worker's output open — children that left its
     * session but kept its standard output — so that reading the output ends.
     *
     * @return how many were killed
     */
    int killOutputHolders();

    /** Releases what the link holds (the listening socket), ending a pending {@link #accept}. */
    void close();
}
