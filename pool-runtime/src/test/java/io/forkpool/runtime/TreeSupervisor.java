package io.forkpool.runtime;

import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.tasks.StartTree;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A supervisor JVM for the process-tree tests: starts a pool of two workers, and has each start a
 * {@link StartTree}: the first worker's task holds at a gate (it is running when the supervisor
 * dies), the second's returns (its worker is idle). Prints {@code PIDS <pid> <pid>} (the worker
 * holding the running task first), then {@code TREES} once both trees stand, then waits to be
 * killed.
 */
public final class TreeSupervisor {

    private TreeSupervisor() {
    }

    /**
     * Entry point.
     *
     * @param args the first tree's directory, the gate its task holds at (never released), the
     *     second tree's directory
     * @throws Exception if the trees cannot be started
     */
    public static void main(String[] args) throws Exception {
        WorkerPool pool = WorkerPool.builder().name("trees").workers(2).tasksInFlightPerWorker(1).build();
        CompletableFuture<Integer> running = pool.submit(StartTree.class, List.of(args[0], args[1]));
        // The gate's arrival file is the task's own sign that its tree stands.
        io.forkpool.testsupport.Gate.of(args[1]).awaitStarted(1, Duration.ofSeconds(60));
        int idle = pool.submit(StartTree.class, List.of(args[2])).get(60, TimeUnit.SECONDS);
        List<WorkerStats> workers = pool.stats().workers();
        long busy = workers.stream().filter(w -> w.tasksCompleted() == 0).mapToLong(WorkerStats::pid).findFirst()
                .orElseThrow();
        System.out.println("PIDS " + busy + " " + workers.stream().mapToLong(WorkerStats::pid).filter(p -> p != busy)
                .mapToObj(String::valueOf).collect(Collectors.joining(" ")));
        System.out.println("TREES " + idle + " " + running.isDone());
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await(); // never counted down: it waits to be killed
    }
}
