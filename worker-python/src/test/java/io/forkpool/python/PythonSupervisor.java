package io.forkpool.python;

import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import java.util.stream.Collectors;

/**
 * A supervisor JVM for the lifeline test: starts two Python workers, makes both busy in a
 * pure-Python loop, prints {@code PIDS <pid> <pid>} and {@code BUSY}, then waits to be killed.
 * Reads {@code basedir} like the tests do.
 */
public final class PythonSupervisor {

    private PythonSupervisor() {
    }

    /**
     * Entry point.
     *
     * @param args ignored
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws InterruptedException {
        WorkerPool pool = PythonWorkers.pool(2).name("python-standalone").build();
        System.out.println("PIDS " + pool.stats().workers().stream().map(WorkerStats::pid).map(String::valueOf)
                .collect(Collectors.joining(" ")));
        pool.submit(PythonTasks.Spin.class, 600.0);
        pool.submit(PythonTasks.Spin.class, 600.0);
        while (pool.stats().queued() > 0) {
            Thread.sleep(10);
        }
        Thread.sleep(300); // both tasks are running by now
        System.out.println("BUSY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
