package io.forkpool.demo;

import io.forkpool.PoolStats;
import io.forkpool.ProgressListener;
import io.forkpool.cluster.MemberStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Shows a run's progress on stderr while it goes: a bar redrawn in place ({@link ProgressMode#BAR}),
 * a line every {@link #PLAIN_INTERVAL} ({@link ProgressMode#PLAIN}), or nothing.
 *
 * <p>Why a thread of its own rather than drawing from the pool's {@link ProgressListener}: the
 * listener is called only when tasks complete, from the pool's I/O threads, where it must be
 * quick. A bar must tick (elapsed time, ETA) while the workers start and between completions, and
 * {@code pool.stats()} adds the workers alive and restarts ({@code pool.members()} the members and
 * their workers, in a cluster). So the listener only stores the count, and a daemon thread,
 * {@code primes-progress}, draws the latest figures on its own beat.
 *
 * <p>While a bar is shown, {@code System.err} is replaced by a stream that erases the bar before
 * each write ({@link StatusLine#interleaved()}), so the pool's warnings and a worker's relayed
 * stderr, logged through slf4j-simple to {@code System.err}, appear as whole lines above the bar.
 *
 * <p>Lifecycle: {@link #start}, then {@link #poolReady} (pool mode) or {@link #clusterReady}
 * (cluster mode), {@link #batchStarted}, the
 * tasks report through {@link #listener()} or {@link #taskDone()}, then {@link #finish()} on
 * success; {@link #close()} always, which stops the thread, erases the bar and restores
 * {@code System.err}.
 */
final class LiveProgress implements AutoCloseable {

    /** Redraw rate of the bar: fast enough to look live, cheap enough to be unnoticed. */
    static final Duration BAR_INTERVAL = Duration.ofMillis(200);
    /** Time between two plain lines: a log stays readable, a CI job still shows life. */
    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(2);
    /** How often the pool hands over its count; the listener only stores it. */
    static final Duration LISTENER_INTERVAL = Duration.ofMillis(100);

    private final ProgressMode mode;
    private final PrintStream err;
    private final RunMode runMode;
    private final int workers;
    private final int columns;
    private final LongSupplier clock;
    private final long startNanos;
    private final StatusLine statusLine;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread renderer;
    /** The stream this put in place of {@code System.err} while a bar is shown, or null. */
    private PrintStream interleavedErr;
    private PrintStream originalSystemErr;
    /** Erases the bar if the JVM exits under it (Ctrl-C), so the shell prompt starts on a clean line; or null. */
    private Thread eraseOnExit;

    /** Tasks completed; set by the pool's listener thread or the in-process threads, read by the renderer. */
    private final AtomicLong done = new AtomicLong();
    /** Written before {@link #started}, whose volatile write makes them visible to the renderer. */
    private long total;
    private long batchStartNanos;
    private volatile boolean started;
    /** The pool's stats once it is ready; set by the runner, read by the renderer. */
    private volatile Supplier<PoolStats> stats;
    /** The cluster's members once it is reached, in cluster mode; set by the runner, read by the renderer. */
    private volatile Supplier<List<MemberStats>> members;

    /**
     * Creates the progress display without starting anything; tests call {@link #render()}.
     *
     * @param mode {@link ProgressMode#BAR}, {@link ProgressMode#PLAIN} or {@link ProgressMode#NONE}
     * @param err where the progress goes: stderr
     * @param runMode where the tasks run
     * @param workers worker processes (threads) asked for; unused in a cluster
     * @param columns the terminal's width, for the bar
     * @param clock {@link System#nanoTime()} or a test's clock
     */
    LiveProgress(ProgressMode mode, PrintStream err, RunMode runMode, int workers, int columns, LongSupplier clock) {
        if (mode == ProgressMode.AUTO) {
            throw new IllegalArgumentException("resolve AUTO first");
        }
        this.mode = mode;
        this.err = err;
        this.runMode = runMode;
        this.workers = workers;
        this.columns = columns;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.statusLine = mode == ProgressMode.BAR ? new StatusLine(err) : null;
        this.renderer = mode == ProgressMode.NONE ? null : new Thread(this::renderUntilStopped, "primes-progress");
    }

    /**
     * Starts showing progress on a thread of its own, and in bar mode routes {@code System.err}
     * around the bar.
     *
     * @param mode a resolved mode: not {@link ProgressMode#AUTO}
     * @param err stderr
     * @param runMode where the tasks run
     * @param workers worker processes (threads) asked for; unused in a cluster
     * @return the running display; close it
     */
    static LiveProgress start(ProgressMode mode, PrintStream err, RunMode runMode, int workers) {
        LiveProgress progress = new LiveProgress(mode, err, runMode, workers, Terminal.columns(System.getenv()),
                System::nanoTime);
        if (progress.statusLine != null) {
            progress.originalSystemErr = System.err;
            progress.interleavedErr = new PrintStream(progress.statusLine.interleaved(), true,
                    Terminal.encoding("stderr"));
            System.setErr(progress.interleavedErr);
            progress.eraseOnExit = new Thread(progress.statusLine::close, "primes-progress-erase");
            Runtime.getRuntime().addShutdownHook(progress.eraseOnExit);
        }
        if (progress.renderer != null) {
            progress.renderer.setDaemon(true);
            progress.renderer.start();
        }
        return progress;
    }

    /** @return a listener for the pool's batch call; it only stores the count */
    ProgressListener listener() {
        return ProgressListener.every(LISTENER_INTERVAL, batch -> done.set(batch.done()));
    }

    /**
     * The pool is ready: the workers alive and restarts now come from its stats.
     *
     * @param poolStats the pool's {@code stats()}; called on the renderer thread, so it must be cheap
     */
    void poolReady(Supplier<PoolStats> poolStats) {
        this.stats = poolStats;
    }

    /**
     * The cluster is reached: the members present and their workers now come from the pool's view
     * of its members.
     *
     * @param clusterMembers the pool's {@code members()}; called on the renderer thread, so it must be cheap
     */
    void clusterReady(Supplier<List<MemberStats>> clusterMembers) {
        this.members = clusterMembers;
    }

    /**
     * The tasks are being handed over: from now on the line shows them, and the rate counts.
     *
     * @param tasks how many tasks the run has
     */
    void batchStarted(long tasks) {
        total = tasks;
        batchStartNanos = clock.getAsLong();
        started = true;
    }

    /** One task completed, for runners without a pool listener (in-process). */
    void taskDone() {
        done.incrementAndGet();
    }

    /**
     * Every task has completed: stops the display and, in plain mode, writes the last line, so a
     * log shows the run ended and how fast. The bar is erased, as the summary repeats it.
     */
    void finish() {
        stopRenderer();
        if (mode == ProgressMode.PLAIN) {
            err.println(ProgressLine.plain(figures(true)));
        }
        close();
    }

    /** Stops the display, erases the bar and gives {@code System.err} back; idempotent. */
    @Override
    public void close() {
        stopRenderer();
        if (statusLine != null) {
            statusLine.close();
        }
        if (interleavedErr != null && System.err == interleavedErr) {
            System.setErr(originalSystemErr);
        }
        interleavedErr = null;
        if (eraseOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(eraseOnExit);
            } catch (IllegalStateException e) {
                // The JVM is already exiting; the hook runs and finds the line erased.
            }
            eraseOnExit = null;
        }
    }

    /** Draws the current figures once: what the renderer thread does on each tick. */
    void render() {
        if (mode == ProgressMode.BAR) {
            statusLine.draw(ProgressLine.bar(figures(false), columns));
        } else if (mode == ProgressMode.PLAIN) {
            err.println(ProgressLine.plain(figures(false)));
        }
    }

    /**
     * Gathers the figures now.
     *
     * @param finished whether this is the run's last line
     * @return the figures
     */
    ProgressFigures figures(boolean finished) {
        long now = clock.getAsLong();
        boolean isStarted = started; // read first: it publishes total and batchStartNanos
        int present = 0;
        int alive = workers;
        int asked = workers;
        long restarts = 0;
        if (runMode == RunMode.POOL) {
            Supplier<PoolStats> poolStats = stats;
            PoolStats snapshot = poolStats == null ? null : poolStats.get();
            alive = snapshot == null ? 0 : snapshot.workersAlive();
            restarts = snapshot == null ? 0 : snapshot.workerRestarts();
        } else if (runMode == RunMode.CLUSTER) {
            Supplier<List<MemberStats>> clusterMembers = members;
            List<MemberStats> seen = clusterMembers == null ? List.of() : clusterMembers.get();
            present = (int) seen.stream().filter(MemberStats::present).count();
            alive = seen.stream().filter(MemberStats::present).mapToInt(MemberStats::workers).sum();
            asked = alive;
        }
        return new ProgressFigures(isStarted, finished, Math.min(done.get(), total), isStarted ? total : 0,
                now - startNanos, isStarted ? now - batchStartNanos : 0, runMode, present, alive, asked, restarts);
    }

    private void renderUntilStopped() {
        long interval = (mode == ProgressMode.BAR ? BAR_INTERVAL : PLAIN_INTERVAL).toNanos();
        // On a fixed beat from the start, so the plain lines' "elapsed" reads 2.0s, 4.0s... even
        // when drawing takes a while on a busy machine; a late tick is skipped, not made up.
        long next = startNanos + interval;
        try {
            while (!stop.await(Math.max(0, next - clock.getAsLong()), TimeUnit.NANOSECONDS)) {
                render();
                next += interval;
                next = Math.max(next, clock.getAsLong() + interval / 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Progress is a nicety: a failure to draw it (the pool closing under stats()) must not
            // end the run or print a stack trace across the terminal. The display just stops.
        }
    }

    private void stopRenderer() {
        stop.countDown();
        if (renderer != null && renderer.isAlive() && renderer != Thread.currentThread()) {
            try {
                renderer.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
