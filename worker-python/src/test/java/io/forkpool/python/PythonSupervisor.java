package io.forkpool.python;

import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.testsupport.Gate;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * A supervisor JVM for the lifeline test: starts two Python workers, makes both busy in a
 * pure-Python loop, prints {@code PIDS <pid> <pid>} and, once both tasks arrived at the gate,
 * {@code BUSY}, then waits to be killed. Reads {@code basedir} like the tests do.
 */
public final class PythonSupervisor {

    private PythonSupervisor() {
    }

    /**
     * Entry point.
     *
     * @param args the path of the {@link Gate} the two tasks arrive at (the test created it; it is
     *     never released)
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws InterruptedException {
        Gate gate = Gate.of(args[0]);
        // One task in flight per worker, so the two tasks go to the two workers.
        WorkerPool pool = PythonWorkers.pool(2).name("python-standalone").tasksInFlightPerWorker(1).build();
        System.out.println("PIDS " + pool.stats().workers().stream().map(WorkerStats::pid).map(String::valueOf)
                .collect(Collectors.joining(" ")));
        pool.submit(PythonTasks.SpinAtGate.class, gate.path());
        pool.submit(PythonTasks.SpinAtGate.class, gate.path());
        gate.awaitStarted(2, Duration.ofSeconds(60)); // both tasks are running now
        System.out.println("BUSY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // not a guess: it waits to be killed
    }
}
