package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import io.forkpool.WorkerPoolBuilder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a user's first batch waits for, in this fresh JVM: from the builder call to a ready pool
 * of two workers, and to the result of its first {@link NoOp} task; then the supervisor JVM's own
 * CPU time so far (its threads only, the workers' not included). Run it as a fresh process each
 * time, alternating with the jar it is compared with, and compare medians: a JVM measures its
 * start-up once.
 *
 * <pre>
 * for i in 1 2 3 4 5 6 7 8; do
 *   java -cp benchmarks/target/benchmarks.jar io.forkpool.benchmarks.FirstResultTime
 *   java -cp OTHER/benchmarks.jar io.forkpool.benchmarks.FirstResultTime
 * done
 * </pre>
 * The first run of each jar records its class-data archive in the background: leave it out. An
 * argument, the path of another {@code java}, starts the workers with it (the supervisor stays on
 * this JVM), as {@code javaExecutable} does.
 */
public final class FirstResultTime {

    private FirstResultTime() {
    }

    /**
     * Runs one measurement and prints {@code ready <ms> first-result <ms> supervisor-cpu <ms>}.
     *
     * @param args none, or the workers' {@code java} executable
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        WorkerPoolBuilder builder = WorkerPool.builder().workers(2);
        if (args.length > 0) {
            builder.javaExecutable(Path.of(args[0]));
        }
        try (WorkerPool pool = builder.build()) {
            long ready = System.nanoTime();
            Integer output = pool.submit(NoOp.class, 7).join();
            long first = System.nanoTime();
            if (output == null || output != 7) {
                throw new IllegalStateException("NoOp returned " + output);
            }
            long cpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
            System.out.printf("ready %d first-result %d supervisor-cpu %d%n", (ready - start) / 1_000_000,
                    (first - start) / 1_000_000, cpu);
        }
    }
}
