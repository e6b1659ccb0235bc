package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.TaskOptions;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.examples.Range;
import io.forkpool.runtime.tasks.SumRange;
import io.forkpool.testsupport.Processes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ten thousand tasks with known answers while workers are SIGKILLed at random. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ChaosIT {

    private static final int TASKS = 10_000;
    private static final int SPAN = 1_000;
    /**
     * A retried task goes to the tail of the queue, so a run of kills charges the tasks that were
     * running, not one task again and again. The property under test is "never more than its
     * limit", not the limit.
     */
    private static final int MAX_ATTEMPTS = 25;

    @Test
    void everyTaskCompletesExactlyWithinItsAttemptsWhileWorkersAreKilled() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger kills = new AtomicInteger();
        Map<Long, Long> answeredWhenSeen = new HashMap<>(); // the killer's own: each worker's slot count when first seen
        try (WorkerPool pool = WorkerPool.builder().workers(2).restartLimit(100_000, Duration.ofMinutes(1)).build()) {
            Thread killer = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!done.get()) {
                    try {
                        // The stimulus: kills at random intervals; nothing is assumed to have happened.
                        Thread.sleep(random.nextLong(50, 201));
                    } catch (InterruptedException e) {
                        return;
                    }
                    // A READY worker is a victim once its slot has answered a task since that worker
                    // appeared: kills land mid-batch, on workers holding tasks, yet every worker
                    // does some work first, so the batch always progresses, however slowly this
                    // machine boots a JVM (killed before answering anything, workers would be
                    // restarted after a growing backoff, as in a crash loop).
                    List<Long> ready = new ArrayList<>();
                    for (WorkerStats w : pool.stats().workers()) {
                        if (w.state().equals("READY") && w.pid() > 0
                                && w.tasksCompleted() > answeredWhenSeen.computeIfAbsent(w.pid(), pid -> w.tasksCompleted())) {
                            ready.add(w.pid());
                        }
                    }
                    if (!ready.isEmpty() && !done.get()) {
                        long victim = ready.get(random.nextInt(ready.size()));
                        if (ProcessHandle.of(victim).map(ProcessHandle::destroyForcibly).orElse(false)) {
                            kills.incrementAndGet();
                        }
                    }
                }
            }, "chaos-killer");
            long start = System.nanoTime();
            killer.start();
            List<CompletableFuture<SumRange.Sum>> futures = new ArrayList<>(TASKS);
            TaskOptions attempts = TaskOptions.builder().maxAttempts(MAX_ATTEMPTS).build();
            for (int i = 0; i < TASKS; i++) {
                futures.add(pool.submit(SumRange.class, new Range((long) i * SPAN, (long) (i + 1) * SPAN), attempts));
            }
            long total = 0;
            int maxAttemptSeen = 0;
            int retried = 0;
            for (CompletableFuture<SumRange.Sum> future : futures) {
                SumRange.Sum sum = future.get(240, TimeUnit.SECONDS);
                total += sum.sum();
                maxAttemptSeen = Math.max(maxAttemptSeen, sum.attempt());
                retried += sum.attempt() > 1 ? 1 : 0;
            }
            done.set(true);
            killer.join();
            long n = (long) TASKS * SPAN;
            assertThat(total).isEqualTo(n * (n - 1) / 2);
            assertThat(maxAttemptSeen).isLessThanOrEqualTo(MAX_ATTEMPTS);
            assertThat(kills.get()).isPositive();
            assertThat(pool.stats().succeeded()).isEqualTo(TASKS);
            System.out.println("chaos: " + TASKS + " tasks in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms with " + kills.get() + " SIGKILLs, " + pool.stats().workerRestarts() + " restarts; "
                    + retried + " tasks needed a retry, highest attempt " + maxAttemptSeen + "; sum exact");
        }
        assertThat(Processes.zombieChildren()).isEmpty();
        assertThat(Processes.childWorkers()).isEmpty();
    }
}
