package io.forkpool.benchmarks;

import io.forkpool.Task;

/**
 * Has its worker JVM killed by a signal: starts {@code kill -<input> <own pid>} and waits to die.
 * With 9 (SIGKILL) the JVM ends without running a single instruction of its own exit path, as in
 * a native crash or an outside kill, which is what {@link CrashRecoveryBenchmark} compares with
 * {@link HaltTask}: a JVM that halts itself first waits for its threads blocked in native I/O,
 * which a killed one does not.
 */
public final class KillTask implements Task<Integer, Integer> {

    /** Creates the task; the worker calls this once and reuses the instance. */
    public KillTask() {
    }

    @Override
    public Integer execute(Integer signal) throws Exception {
        // The JDK will not destroy its own process (ProcessHandle.current().destroyForcibly()
        // throws), so the signal comes from a child; that costs one process start.
        new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid())).start();
        Thread.sleep(60_000);
        throw new IllegalStateException("still alive 60 s after kill -" + signal);
    }
}
