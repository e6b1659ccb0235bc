package io.forkpool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated, immutable settings of one pool, produced by {@link WorkerPoolBuilder} and
 * handed to the runtime. See the builder for what each setting means and its default.
 *
 * @param name the pool's name, used in thread names and logs
 * @param workers how many worker JVMs run at once
 * @param javaExecutable the {@code java} launcher the workers are started with
 * @param classpath the workers' class path entries
 * @param jvmOptions options placed before the worker's main class
 * @param environment variables added to (or overriding) the inherited environment
 * @param workingDirectory the workers' working directory
 * @param maxFrameLength the largest payload, in bytes, either side accepts in one frame
 * @param tasksInFlightPerWorker how many tasks a worker holds at once (one running, the rest waiting)
 * @param startupTimeout how long a worker may take from spawn to hello
 * @param closeTimeout how long {@link WorkerPool#close()} waits for queued and running tasks
 */
public record PoolOptions(String name, int workers, Path javaExecutable, List<String> classpath,
        List<String> jvmOptions, Map<String, String> environment, Path workingDirectory,
        int maxFrameLength, int tasksInFlightPerWorker, Duration startupTimeout, Duration closeTimeout) {

    /** The largest frame payload a pool may be configured to accept: 1 GiB. */
    public static final int MAX_FRAME_LENGTH_LIMIT = 1 << 30;

    /** Validates every field and copies the collections. */
    public PoolOptions {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        requireRange("workers", workers, 1, 4096);
        Objects.requireNonNull(javaExecutable, "javaExecutable");
        classpath = List.copyOf(Objects.requireNonNull(classpath, "classpath"));
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("classpath must not be empty");
        }
        jvmOptions = List.copyOf(Objects.requireNonNull(jvmOptions, "jvmOptions"));
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        requireRange("maxFrameLength", maxFrameLength, 1024, MAX_FRAME_LENGTH_LIMIT);
        requireRange("tasksInFlightPerWorker", tasksInFlightPerWorker, 1, 1024);
        requirePositive("startupTimeout", startupTimeout);
        requirePositive("closeTimeout", closeTimeout);
    }

    private static void requireRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    private static void requirePositive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
    }
}
