package io.forkpool.runtime.internal.fake;

import io.forkpool.internal.protocol.WorkerExitCodes;
import io.forkpool.internal.worker.WorkerLoop;
import io.forkpool.runtime.internal.worker.WorkerLink;
import io.forkpool.spi.TaskAllowList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory worker: the real worker loop ({@link WorkerLoop}) over two pipes, running real
 * task classes in this JVM, behind the {@link WorkerLink} a driver talks to. It behaves as a
 * worker process does where the supervisor can tell: a SIGKILL ends it with 137 whatever it is
 * doing; SIGTERM with 143, unless it is frozen; its lifeline closing ends it with 67, unless it
 * is frozen; a frozen worker ({@link #freeze}, SIGSTOP) reads and writes nothing, so a large
 * write to it blocks once the pipe is full; a {@linkplain #mute mute} one reads and writes nothing
 * but still dies of signals. A task it runs can end it at once ({@link #current}, {@link #halt}),
 * losing whatever the worker had not yet written, as {@code Runtime.halt} does.
 */
public final class FakeWorker implements WorkerLink {

    private static final AtomicLong PIDS = new AtomicLong(1_000_000);
    private static final InheritableThreadLocal<FakeWorker> CURRENT = new InheritableThreadLocal<>();

    final int slot;
    final int incarnation;
    private final long pid = PIDS.incrementAndGet();
    private final String token = "fake-token-" + pid;
    private final Pipe toWorker;
    private final Pipe fromWorker;
    private final Pipe output;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Object valve = new Object();
    private boolean frozen; // guarded by valve
    private boolean mute; // guarded by valve
    private final boolean connects;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Signals received, in order, for assertions: "TERM" or "KILL". */
    final List<String> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The TASK and BATCH frames the supervisor wrote to it. */
    final SentFrames sent = new SentFrames();
    volatile boolean lifelineClosed;
    /** A worker that lives on after SHUTDOWN and its lifeline, as one with a hung shutdown hook does; SIGTERM ends it. */
    volatile boolean stubborn;
    /** When set, the killing of its leftovers, once it is dead, waits for this gate (bounded). */
    volatile CountDownLatch leftoversGate;
    /** Bytes the supervisor wrote so far, and whether a write of its is under way now. */
    private final AtomicLong written = new AtomicLong();
    private volatile boolean inWrite;
    private volatile int pendingWrite;

    FakeWorker(int slot, int incarnation, boolean connects, int maxFrameLength) throws IOException {
        this.slot = slot;
        this.incarnation = incarnation;
        this.connects = connects;
        this.toWorker = Pipe.open();
        this.fromWorker = Pipe.open();
        this.output = Pipe.open();
        if (connects) {
            Thread thread = new Thread(() -> serve(maxFrameLength), "fake-worker-" + slot + "-" + incarnation);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void serve(int maxFrameLength) {
        CURRENT.set(this);
        int code;
        try {
            WorkerLoop loop = new WorkerLoop(new Gated(toWorker.source()), new Gated(fromWorker.sink()), slot,
                    maxFrameLength, FakeWorker.class.getClassLoader(), TaskAllowList.of(List.of(TaskAllowList.ANY)));
            code = loop.run(WorkerLoop.hello(token));
        } catch (IOException | RuntimeException | Error e) {
            e.printStackTrace(); // a real worker's failure would reach its output too
            code = WorkerExitCodes.CHANNEL_FAILED;
        }
        if (!stubborn) {
            die(code, null);
        }
    }

    /** @return the fake worker whose task is running on this thread */
    public static FakeWorker current() {
        return CURRENT.get();
    }

    /** Ends the worker at once with {@code code}, as a halt or a crash does, after printing {@code line}. */
    public void halt(int code, String line) {
        die(code, line);
    }

    /** SIGSTOP: reads and writes nothing, ignores SIGTERM and its lifeline; SIGKILL still ends it. */
    public void freeze() {
        synchronized (valve) {
            frozen = true;
        }
    }

    /** Stays alive but reads and writes nothing, as a worker whose task closed its socket does. */
    public void mute() {
        synchronized (valve) {
            mute = true;
        }
    }

    /** SIGCONT. */
    public void thaw() {
        synchronized (valve) {
            frozen = false;
            valve.notifyAll();
        }
    }

    /**
     * @return whether the supervisor is blocked writing to this worker: a write larger than a
     *     pipe holds (64 KiB) is under way, which cannot end while the worker reads nothing
     */
    public boolean supervisorBlockedInWrite() {
        return inWrite && pendingWrite > (1 << 20);
    }

    /** Waits until the supervisor is blocked writing to this worker (it stopped reading); fails after 10 s. */
    public void awaitBlockedWrite() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!supervisorBlockedInWrite()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the supervisor never blocked writing to " + this);
            }
            Thread.sleep(1); // polling a condition with a deadline
        }
    }

    private boolean isFrozen() {
        synchronized (valve) {
            return frozen;
        }
    }

    private void die(int code, String line) {
        synchronized (this) {
            if (exit.isDone()) {
                return;
            }
            try {
                if (line != null) {
                    output.sink().write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                // nobody reads the output any more
            }
            // What it writes from now on is lost, as with a real kill: its way out closes first,
            // else closing its way in would wake its loop, which could still write a reply (an
            // interrupted task's FAILURE) before the end of a death that had already begun.
            closeQuietly(fromWorker.sink());
            closeQuietly(toWorker.source());
            closeQuietly(output.sink());
            synchronized (valve) {
                valve.notifyAll();
            }
            exit.complete(code);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // best effort
        }
    }

    /** The worker side of a pipe, which waits while the worker is frozen or mute, as a stopped process does. */
    private final class Gated implements ByteChannel {
        private final java.nio.channels.ReadableByteChannel in;
        private final java.nio.channels.WritableByteChannel out;

        Gated(java.nio.channels.ReadableByteChannel in) {
            this.in = in;
            this.out = null;
        }

        Gated(java.nio.channels.WritableByteChannel out) {
            this.in = null;
            this.out = out;
        }

        private void awaitOpen() throws IOException {
            synchronized (valve) {
                while ((frozen || mute) && !exit.isDone()) {
                    try {
                        valve.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                }
            }
            if (exit.isDone()) {
                throw new ClosedChannelException();
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            awaitOpen();
            int n = in.read(dst);
            awaitOpen(); // what arrived while frozen is read after it thaws
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            awaitOpen();
            return out.write(src);
        }

        @Override
        public boolean isOpen() {
            return in != null ? in.isOpen() : out.isOpen();
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            } else {
                out.close();
            }
        }
    }

    // ---- WorkerLink ----------------------------------------------------------------------------

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public ByteChannel accept() throws IOException {
        if (!connects) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new ClosedChannelException();
        }
        Pipe.SourceChannel replies = fromWorker.source();
        Pipe.SinkChannel requests = toWorker.sink();
        return new ByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                return replies.read(dst);
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                pendingWrite = src.remaining();
                inWrite = true;
                try {
                    ByteBuffer view = src.duplicate();
                    int n = requests.write(src);
                    written.addAndGet(n);
                    sent.feed(view.limit(view.position() + n));
                    return n;
                } finally {
                    inWrite = false;
                }
            }

            @Override
            public boolean isOpen() {
                return replies.isOpen();
            }

            @Override
            public void close() throws IOException {
                replies.close();
                requests.close();
            }
        };
    }

    @Override
    public InputStream output() {
        return Channels.newInputStream(output.source());
    }

    @Override
    public void closeLifeline() {
        lifelineClosed = true;
        if (!isFrozen() && !stubborn) {
            die(WorkerExitCodes.LIFELINE_LOST, null);
        }
    }

    @Override
    public void signal(boolean forcibly) {
        signals.add(forcibly ? "KILL" : "TERM");
        if (forcibly) {
            die(128 + 9, null);
        } else if (!isFrozen()) {
            die(128 + 15, null);
        }
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public int exitValue() {
        return exit.join();
    }

    @Override
    public void killLeftovers() {
        // an in-memory worker starts no processes; a test may hold its driver here as a slow kill would
        CountDownLatch gate = leftoversGate;
        if (gate != null) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int killOutputHolders() {
        return 0;
    }

    @Override
    public void close() {
        closed.countDown();
    }

    @Override
    public String toString() {
        return "fake worker " + slot + "." + incarnation + " (pid " + pid + ")";
    }
}
