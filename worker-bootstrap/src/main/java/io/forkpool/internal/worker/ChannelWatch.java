package io.forkpool.internal.worker;

import io.forkpool.internal.protocol.WorkerExitCodes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ends the worker with {@link WorkerExitCodes#CHANNEL_FAILED} when the descriptor of its socket
 * no longer names that socket: task code closed it (walking {@code /proc/self/fd}, say), or closed
 * it and something else got the same number. On Linux, closing a descriptor does not wake a thread
 * blocked reading it, and that read keeps the socket open: the worker would neither read nor write
 * again, and the supervisor would see a silent worker holding its tasks until it sends something
 * (a {@code PING}, PROTOCOL.md 4.6). Linux only, through {@code /proc/self/fd}; where that is
 * missing there is nothing to watch.
 */
public final class ChannelWatch {

    /** How often the descriptor is looked at. */
    static final long POLL_MILLIS = 100;

    private static final Path DESCRIPTORS = Path.of("/proc/self/fd");

    private final Path descriptor;
    private final Path socket;

    private ChannelWatch(Path descriptor, Path socket) {
        this.descriptor = descriptor;
        this.socket = socket;
    }

    /**
     * The socket descriptors open now.
     *
     * @return each {@code /proc/self/fd} entry that links to a socket, with its link ({@code socket:[inode]});
     *     empty where {@code /proc} is missing
     */
    public static Map<Path, Path> sockets() {
        Map<Path, Path> sockets = new HashMap<>();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(DESCRIPTORS)) {
            for (Path descriptor : descriptors) {
                try {
                    Path target = Files.readSymbolicLink(descriptor);
                    if (target.toString().startsWith("socket:")) {
                        sockets.put(descriptor, target);
                    }
                } catch (IOException e) {
                    // closed since it was listed, like the directory stream's own descriptor
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Map.of();
        }
        return sockets;
    }

    /**
     * The watch of the socket opened between two calls of {@link #sockets()}.
     *
     * @param before the sockets before the channel was opened
     * @param after the sockets after
     * @return its watch, or empty unless exactly one socket appeared (nothing is watched then)
     */
    public static Optional<ChannelWatch> of(Map<Path, Path> before, Map<Path, Path> after) {
        Map<Path, Path> opened = new HashMap<>(after);
        opened.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        return opened.size() != 1 ? Optional.empty()
                : opened.entrySet().stream().findFirst().map(e -> new ChannelWatch(e.getKey(), e.getValue()));
    }

    /** @return whether the descriptor still names the socket it named when the watch was made */
    boolean intact() {
        try {
            return socket.equals(Files.readSymbolicLink(descriptor));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts a daemon thread that halts the JVM with {@link WorkerExitCodes#CHANNEL_FAILED} once
     * the descriptor no longer names the socket.
     *
     * @param workerId for the thread name and the message
     */
    public void start(int workerId) {
        Thread watcher = new Thread(() -> {
            while (intact()) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Path now;
            try {
                now = Files.readSymbolicLink(descriptor);
            } catch (IOException e) {
                now = null;
            }
            System.err.println("forkpool worker " + workerId + ": its socket's descriptor " + descriptor.getFileName()
                    + " was closed under it (" + socket + (now == null ? ", now closed" : ", now " + now) + ")");
            System.out.flush();
            System.err.flush();
            Lifeline.halt(WorkerExitCodes.CHANNEL_FAILED);
        }, "forkpool-worker-" + workerId + "-channel-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
