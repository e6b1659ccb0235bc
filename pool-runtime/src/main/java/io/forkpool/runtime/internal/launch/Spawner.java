package io.forkpool.runtime.internal.launch;

import io.forkpool.runtime.internal.exec.JvmThreads;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one thread that starts worker processes, for the life of the JVM. A worker is started
 * under {@code setpriv --pdeathsig KILL}, and Linux sends a parent-death signal when the
 * <em>thread</em> that forked the process ends, not when its process does; so no worker may be
 * forked by a thread that can end before the JVM — a caller's thread, or a pool's supervisor
 * thread that ends with {@code close()}. This thread never ends: it is a daemon, and it survives
 * any exception a start throws (an {@code OutOfMemoryError} included), because its end would
 * SIGKILL every worker of the JVM.
 */
final class Spawner {

    private record Request(ProcessBuilder builder, CompletableFuture<Process> started) {
    }

    private static final LinkedBlockingQueue<Request> REQUESTS = new LinkedBlockingQueue<>();
    private static final Thread THREAD = startThread();

    private Spawner() {
    }

    private static Thread startThread() {
        Thread thread = JvmThreads.create(Spawner::serve, "forkpool-spawner");
        thread.start();
        return thread;
    }

    private static void serve() {
        while (true) {
            Request request;
            try {
                request = REQUESTS.take();
            } catch (InterruptedException e) {
                continue; // nobody may end this thread
            }
            try {
                request.started().complete(request.builder().start());
            } catch (Throwable e) {
                request.started().completeExceptionally(e);
            }
        }
    }

    /**
     * Starts a process on the spawner thread, and waits for it to have started.
     *
     * @param builder what to start
     * @return the process
     * @throws IOException if it could not be started
     */
    static Process start(ProcessBuilder builder) throws IOException {
        if (Thread.currentThread() == THREAD) {
            return builder.start();
        }
        CompletableFuture<Process> started = new CompletableFuture<>();
        REQUESTS.add(new Request(builder, started));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return started.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the start is under way; its process must not be lost
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IOException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
