package io.forkpool.benchmarks;

import io.forkpool.Task;

/**
 * Ends its worker JVM at once with {@code Runtime.halt(input)}: no shutdown hooks, no reply, no
 * goodbye on the socket — to the supervisor it looks like a native crash with an exit code, which is
 * what {@link CrashRecoveryBenchmark} needs to time the pool's recovery.
 */
public final class HaltTask implements Task<Integer, Integer> {

    /** Creates the task; the worker calls this once and reuses the instance. */
    public HaltTask() {
    }

    @Override
    public Integer execute(Integer exitCode) {
        Runtime.getRuntime().halt(exitCode);
        throw new AssertionError("halt returned"); // halt never returns; this keeps javac content
    }
}
