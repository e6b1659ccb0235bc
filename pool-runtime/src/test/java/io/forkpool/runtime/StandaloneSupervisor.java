package io.forkpool.runtime;

import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.forkpool.runtime.tasks.HangInShutdownHook;
import io.forkpool.runtime.tasks.Spin;
import java.util.stream.Collectors;

/**
 * A supervisor JVM for the parent-death tests: starts a pool of two workers, makes both busy
 * (one in a CPU loop, one in a CPU loop after registering a shutdown hook that never returns),
 * prints {@code PIDS <pid> <pid>} and {@code BUSY}, then waits to be killed.
 */
public final class StandaloneSupervisor {

    private StandaloneSupervisor() {
    }

    /**
     * Entry point.
     *
     * @param args ignored
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws InterruptedException {
        WorkerPool pool = WorkerPool.builder().name("standalone").workers(2).build();
        System.out.println("PIDS " + pool.stats().workers().stream().map(WorkerStats::pid).map(String::valueOf)
                .collect(Collectors.joining(" ")));
        pool.submit(Spin.class, -1L);
        pool.submit(HangInShutdownHook.class, null);
        while (pool.stats().queued() > 0) {
            Thread.sleep(10);
        }
        Thread.sleep(200); // both tasks are running by now
        System.out.println("BUSY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
