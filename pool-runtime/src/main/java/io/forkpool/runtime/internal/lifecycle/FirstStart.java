package io.forkpool.runtime.internal.lifecycle;

import io.forkpool.ExitCause;
import io.forkpool.PoolStartupException;
import io.forkpool.runtime.internal.worker.WorkerDriver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sequences the launches of a pool's first workers: {@link #concurrentStarts} of them at once,
 * each of the others as soon as an earlier one is ready, so that a pool far larger than the
 * machine still starts and every start-up timeout counts from its own worker's launch. Holds no
 * state of its own beyond what one start needs; the slots and their drivers are the
 * {@link WorkerSupervisor}'s.
 */
public final class FirstStart {

    /**
     * Launches a slot's first worker and gives its readiness; throws a
     * {@link PoolStartupException} instead, atomically with any stop, once the pool no longer starts.
     */
    interface Launch {
        CompletableFuture<Void> launch(WorkerSlot slot) throws IOException;
    }

    private final WorkerSlot[] slots;
    private final Launch launch;
    private final Executor supervisorThread;
    private final String program;

    /**
     * @param slots the pool's slots, in order
     * @param launch starts one slot's first worker
     * @param supervisorThread where the later launches run
     * @param program what starts a worker, for messages
     */
    FirstStart(WorkerSlot[] slots, Launch launch, Executor supervisorThread, String program) {
        this.slots = slots;
        this.launch = launch;
        this.supervisorThread = supervisorThread;
        this.program = program;
    }

    /**
     * How many workers start at once: starting a JVM is CPU-bound, so more at once than the machine
     * has CPUs only makes each of them slower, until none says hello within the start-up timeout.
     * At least two, so that a pool of two always starts in parallel.
     *
     * @param workers the pool's size
     * @return how many of them may be starting at the same time
     */
    public static int concurrentStarts(int workers) {
        return Math.min(workers, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Starts {@link #concurrentStarts} first workers now and chains each of the others on an
     * earlier one's readiness; once one fails, no more are started. Does not wait for any.
     *
     * @return each slot's first worker's readiness, in slot order
     * @throws PoolStartupException if one of those started now cannot be started; those started
     *     are left to the supervisor's stop
     */
    List<CompletableFuture<Void>> startAll() {
        int atOnce = concurrentStarts(slots.length);
        List<CompletableFuture<Void>> ready = new ArrayList<>(slots.length);
        for (int i = 0; i < atOnce; i++) {
            try {
                ready.add(launch.launch(slots[i]));
            } catch (PoolStartupException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw cannotStart(slots[i], e);
            }
        }
        for (int i = atOnce; i < slots.length; i++) {
            WorkerSlot slot = slots[i];
            CompletableFuture<Void> started = new CompletableFuture<>();
            ready.get(i - atOnce).whenComplete((ok, failed) -> {
                if (failed == null) {
                    supervisorThread.execute(() -> startLater(slot, started));
                } else { // the start fails with that earlier worker: start no more
                    started.completeExceptionally(new PoolStartupException("start-up was given up", failed));
                }
            });
            ready.add(started);
        }
        return ready;
    }

    /** Starts a slot's first worker, its turn come, unless the start was given up. Supervisor thread. */
    private void startLater(WorkerSlot slot, CompletableFuture<Void> started) {
        try {
            launch.launch(slot).whenComplete((ok, failed) -> {
                if (failed == null) {
                    started.complete(null);
                } else {
                    started.completeExceptionally(failed);
                }
            });
        } catch (PoolStartupException e) {
            started.completeExceptionally(e);
        } catch (IOException | RuntimeException e) {
            started.completeExceptionally(cannotStart(slot, e));
        }
    }

    private PoolStartupException cannotStart(WorkerSlot slot, Exception e) {
        return new PoolStartupException("cannot start worker " + slot.id + ": cannot run " + program + ": "
                + e.getMessage(), e);
    }

    /**
     * Waits until every first worker said hello. Each worker's own start-up timeout, counted from
     * its launch, ends a worker that does not; this wait is bounded as well, by as many timeouts
     * as there are rounds of {@link #concurrentStarts}, plus one.
     *
     * @param ready the readiness of each first worker, from {@link #startAll}
     * @param startupTimeout the pool's start-up timeout
     * @throws PoolStartupException if one died first or did not say hello in time (then it is killed)
     */
    void awaitReady(List<CompletableFuture<Void>> ready, Duration startupTimeout) {
        int atOnce = concurrentStarts(slots.length);
        int rounds = (slots.length + atOnce - 1) / atOnce;
        long deadlineNanos = System.nanoTime() + startupTimeout.toNanos() * (rounds + 1);
        for (int i = 0; i < ready.size(); i++) {
            try {
                ready.get(i).get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw (RuntimeException) e.getCause();
            } catch (TimeoutException e) {
                WorkerDriver driver = slots[i].driver;
                String who = driver == null ? "worker " + i : driver.toString();
                if (driver != null) {
                    driver.kill(ExitCause.STARTUP_FAILURE, "did not say hello within " + startupTimeout);
                }
                throw new PoolStartupException(who + " did not say hello within " + startupTimeout, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PoolStartupException("interrupted while starting workers", e);
            }
        }
    }
}
