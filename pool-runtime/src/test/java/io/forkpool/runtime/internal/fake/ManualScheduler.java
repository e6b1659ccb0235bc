package io.forkpool.runtime.internal.fake;

import io.forkpool.runtime.internal.exec.Scheduler;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Scheduler} whose clock moves only when a test says so: work handed to it runs at once,
 * in order, on its one real thread (as on the real supervisor thread); timers run only when
 * {@link #advance} passes their due time, one by one, in due order, each seeing the clock at its
 * due time. So a test of a 30-second timeout takes microseconds, and nothing depends on how fast
 * the machine is.
 */
public final class ManualScheduler implements Scheduler {

    private record Due(long atNanos, long order, Runnable action, boolean[] cancelled) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byTime = Long.compare(atNanos, other.atNanos);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private final PriorityQueue<Due> timers = new PriorityQueue<>(); // guarded by this
    private final AtomicLong orders = new AtomicLong();
    private volatile long now = TimeUnit.DAYS.toNanos(1); // any origin: nothing may assume 0
    private volatile Thread thread;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "manual-supervisor");
        t.setDaemon(true);
        thread = t;
        return t;
    });

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void execute(Runnable action) {
        executor.execute(action);
    }

    @Override
    public Timer schedule(Runnable action, long delayNanos) {
        boolean[] cancelled = new boolean[1];
        synchronized (this) {
            timers.add(new Due(now + Math.max(0, delayNanos), orders.incrementAndGet(), action, cancelled));
        }
        return () -> {
            synchronized (this) {
                cancelled[0] = true;
            }
        };
    }

    @Override
    public boolean inSupervisor() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void shutdown() {
        executor.shutdownNow();
    }

    /**
     * Moves the clock forward, running every timer that falls due on the way (timers those
     * timers set included) on the supervisor thread, each after what was handed over before it.
     */
    public void advance(Duration by) {
        long target = now + by.toNanos();
        while (true) {
            Due next;
            synchronized (this) {
                next = timers.peek();
                if (next == null || next.atNanos() > target) {
                    break;
                }
                timers.poll();
                if (next.cancelled()[0]) {
                    continue;
                }
                now = Math.max(now, next.atNanos());
            }
            runAndWait(next.action());
        }
        now = target;
        runAndWait(() -> { }); // what the last timers handed over has run too
    }

    /** Waits until everything handed to the supervisor thread so far has run. */
    public void settle() {
        runAndWait(() -> { });
    }

    private void runAndWait(Runnable action) {
        Future<?> done = executor.submit(action);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                done.get(10, TimeUnit.MILLISECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a timer failed", e.getCause());
            } catch (TimeoutException e) {
                if (executor.isShutdown()) {
                    // shutdownNow() drops what was queued: it will never run
                    throw new RejectedExecutionException("the supervisor thread was shut down");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the supervisor thread was blocked for 10 s: something ran on it that must not");
                }
            }
        }
    }

    /**
     * @param within how far ahead of the clock
     * @return how many timers are pending that fall due within that time, for waits and assertions
     */
    public synchronized int pendingTimersDueWithin(Duration within) {
        long until = now + within.toNanos();
        return (int) timers.stream().filter(t -> !t.cancelled()[0] && t.atNanos() <= until).count();
    }

    /** @return how many timers are pending, for assertions */
    public synchronized int pendingTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled()[0]).count();
    }
}
