package io.forkpool.runtime.internal.worker;

import io.forkpool.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The settings a worker driver needs, taken from the pool's options once.
 *
 * @param poolName the pool's name, for thread names and logs
 * @param workers the pool's worker count, for chunk sizes
 * @param maxFrameLength the largest payload either side may send
 * @param tasksInFlight the fixed depth per worker, or {@link PoolOptions#ADAPTIVE_TASKS_IN_FLIGHT}
 * @param maxTasksPerWorker answers after which a worker is retired, or 0
 * @param maxWorkerHeapBytes heap use above which a worker is retired, or 0
 * @param startupNanos how long a worker may take from spawn to hello
 * @param silenceNanos how long a worker that holds tasks may stay silent before it is probed
 * @param probeNanos how long a probed worker has to answer before it is killed
 * @param stopGraceNanos after SHUTDOWN, how long before SIGTERM; after SIGTERM, how long before SIGKILL
 * @param jvmWorkers whether the workers are the Java worker (no {@code workerCommand}), which
 *     tells how an out-of-memory death shows
 */
public record DriverConfig(String poolName, int workers, int maxFrameLength, int tasksInFlight, long maxTasksPerWorker,
        long maxWorkerHeapBytes, long startupNanos, long silenceNanos, long probeNanos, long stopGraceNanos,
        boolean jvmWorkers) {

    /** A worker holding tasks that sends nothing for this long is probed. */
    public static final long SILENCE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** A probed worker that answers nothing for this long is killed. */
    public static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Each step of a stop's escalation: SHUTDOWN, then SIGTERM, then SIGKILL. */
    public static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * @param options the pool's options
     * @return the drivers' settings, with the default probe and stop timings
     */
    public static DriverConfig of(PoolOptions options) {
        return new DriverConfig(options.name(), options.workers(), options.maxFrameLength(),
                options.tasksInFlightPerWorker(), options.maxTasksPerWorker(), options.maxWorkerHeapBytes(),
                options.startupTimeout().toNanos(), SILENCE_NANOS, PROBE_NANOS, STOP_GRACE_NANOS,
                options.workerCommand().isEmpty());
    }
}
