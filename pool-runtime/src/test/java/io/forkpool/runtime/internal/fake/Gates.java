package io.forkpool.runtime.internal.fake;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Named gates for tasks that run in a {@link FakeWorker} (in this JVM): a task says it started
 * and waits to be let through; the test waits for "started" and says "go". No sleeps.
 */
public final class Gates {

    private static final ConcurrentHashMap<String, Gate> GATES = new ConcurrentHashMap<>();

    private Gates() {
    }

    /** One gate. */
    public static final class Gate {
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private volatile int arrivals;

        /** Waits until a task has arrived; fails after 10 s. */
        public void awaitStarted() throws InterruptedException {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("no task reached the gate within 10 s");
            }
        }

        /** @return whether a task arrived within the time */
        public boolean startedWithin(Duration time) throws InterruptedException {
            return started.await(time.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Lets every task at the gate, and every later one, through. */
        public void release() {
            release.countDown();
        }

        /** @return how many tasks have arrived */
        public int arrivals() {
            return arrivals;
        }

        void pass(boolean interruptible) throws InterruptedException {
            arrivals++;
            started.countDown();
            if (interruptible) {
                release.await();
                return;
            }
            boolean interrupted = false;
            while (true) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // a task that ignores its cancellation
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the gate of that name, made on first use */
    public static Gate named(String name) {
        return GATES.computeIfAbsent(name, n -> new Gate());
    }

    /** Forgets every gate, releasing those still closed. */
    public static void reset() {
        GATES.values().forEach(Gate::release);
        GATES.clear();
    }
}
