package io.forkpool.runtime;

import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.tasks.HangInShutdownHook;
import io.forkpool.runtime.tasks.SpinAtGate;
import io.forkpool.testsupport.Await;
import io.forkpool.testsupport.Gate;
import io.forkpool.testsupport.Processes;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A supervisor JVM for the parent-death tests: starts a pool of two workers, makes both busy
 * (one in a CPU loop, one in a CPU loop after registering a shutdown hook that never returns),
 * prints {@code PIDS <pid> <pid>} and, once both tasks arrived at the gate, {@code BUSY}, then
 * waits to be killed. With a second argument {@code spare} it keeps a warm spare as well, and
 * prints {@code SPARES <pid>} once the spare is ready.
 */
public final class StandaloneSupervisor {

    private StandaloneSupervisor() {
    }

    /**
     * Entry point.
     *
     * @param args the path of the {@link Gate} the two tasks arrive at (the test created it; it is
     *     never released), and optionally {@code spare}
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws InterruptedException {
        Gate gate = Gate.of(args[0]);
        // One task in flight per worker, so the two tasks go to the two workers.
        int spares = args.length > 1 && args[1].equals("spare") ? 1 : 0;
        WorkerPool pool = WorkerPool.builder().name("standalone").workers(2).tasksInFlightPerWorker(1)
                .warmSpares(spares).build();
        List<Long> workers = pool.stats().workers().stream().map(WorkerStats::pid).toList();
        System.out.println("PIDS " + workers.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        if (spares > 0) {
            Await.until("the spare ready", Duration.ofSeconds(60), () -> pool.stats().sparesReady() == spares);
            System.out.println("SPARES " + Processes.childWorkerPids().stream()
                    .filter(pid -> !workers.contains(pid)).map(String::valueOf).collect(Collectors.joining(" ")));
        }
        pool.submit(SpinAtGate.class, gate.path());
        pool.submit(HangInShutdownHook.class, gate.path());
        gate.awaitStarted(2, Duration.ofSeconds(60)); // both tasks are running now
        System.out.println("BUSY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // not a guess: it waits to be killed
    }
}
