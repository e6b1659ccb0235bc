package io.forkpool;

import io.forkpool.spi.TaskAllowList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The validated, immutable settings of one pool, produced by {@link WorkerPoolBuilder} and
 * handed to the runtime. See the builder for what each setting means and its default.
 *
 * @param name the pool's name, used in thread names and logs
 * @param workers how many worker JVMs run at once
 * @param javaExecutable the {@code java} launcher the workers are started with
 * @param classpath the workers' class path entries
 * @param jvmOptions options placed before the worker's main class
 * @param inheritedEnvironment names of the supervisor's environment variables the workers inherit
 * @param environment variables set for the workers on top of the inherited ones
 * @param workingDirectory the workers' working directory
 * @param workerCommand the command that starts a worker in place of the Java one, or empty for
 *     the Java worker (then {@code javaExecutable}, {@code classpath} and {@code jvmOptions} apply)
 * @param allowedTasks the task classes workers may run, as {@link io.forkpool.spi.TaskAllowList} entries
 * @param classDataCache where the workers' class-data sharing archives are kept, or {@code null} for none
 * @param maxFrameLength the largest payload, in bytes, either side accepts in one frame
 * @param tasksInFlightPerWorker how many tasks a worker holds at once (one running, the rest
 *     waiting), or {@link #ADAPTIVE_TASKS_IN_FLIGHT} to let the pool size it from the tasks' run time
 * @param maxPendingTasks the most tasks submitted and not yet completed before {@code submit} waits
 *     for room, or 0 for no limit
 * @param startupTimeout how long a worker may take from spawn to hello
 * @param closeTimeout how long {@link WorkerPool#close()} waits for queued and running tasks
 * @param maxAttempts how many times a task may run when its worker dies under it
 * @param taskTimeout how long one attempt may run, or {@code null} for no limit
 * @param maxTasksPerWorker answers after which a worker is retired and replaced, or 0 for no limit
 * @param maxWorkerHeapBytes heap use above which a worker is retired and replaced, or 0 for no limit
 * @param maxRestarts how many worker restarts the pool tolerates within {@code restartWindow}
 * @param restartWindow the sliding window for {@code maxRestarts}
 * @param recordLatencies whether the pool records its tasks' latencies for {@link WorkerPool#stats()}
 */
public record PoolOptions(String name, int workers, Path javaExecutable, List<String> classpath,
        List<String> jvmOptions, Set<String> inheritedEnvironment, Map<String, String> environment, Path workingDirectory,
        List<String> workerCommand, List<String> allowedTasks, Path classDataCache,
        int maxFrameLength, int tasksInFlightPerWorker, int maxPendingTasks, Duration startupTimeout, Duration closeTimeout,
        int maxAttempts, Duration taskTimeout, long maxTasksPerWorker, long maxWorkerHeapBytes,
        int maxRestarts, Duration restartWindow, boolean recordLatencies) {

    /** The smallest frame payload a pool may be configured to accept: 1 KiB, room for any control message but a failure report. */
    public static final int MIN_FRAME_LENGTH = 1024;

    /** The most attempts a task may be given; the protocol's attempt byte never exceeds it. */
    public static final int MAX_ATTEMPTS = 100;

    /** {@code tasksInFlightPerWorker} value that lets the pool size each worker's share from its tasks' run time. */
    public static final int ADAPTIVE_TASKS_IN_FLIGHT = 0;

    /** The most unanswered tasks a worker is ever given; the protocol promises workers no more. */
    public static final int MAX_TASKS_IN_FLIGHT = 1024;

    /** The largest frame payload a pool may be configured to accept: 1 GiB. */
    public static final int MAX_FRAME_LENGTH_LIMIT = 1 << 30;

    /**
     * Validates every field and copies the collections. {@link WorkerPoolBuilder#options()} is the
     * usual way to get one; each parameter below says what is accepted, the record's own
     * description says what it means.
     *
     * @param name not blank
     * @param workers from 1 to 4096
     * @param javaExecutable not null
     * @param classpath not empty unless {@code workerCommand} is set
     * @param jvmOptions not null, possibly empty
     * @param inheritedEnvironment not null, possibly empty
     * @param environment not null, possibly empty
     * @param workingDirectory not null
     * @param workerCommand empty, or starting with a non-blank program
     * @param allowedTasks at least one valid {@link io.forkpool.spi.TaskAllowList} entry
     * @param classDataCache a directory, or {@code null}
     * @param maxFrameLength from {@link #MIN_FRAME_LENGTH} to {@link #MAX_FRAME_LENGTH_LIMIT}
     * @param tasksInFlightPerWorker from {@link #ADAPTIVE_TASKS_IN_FLIGHT} to {@link #MAX_TASKS_IN_FLIGHT}
     * @param maxPendingTasks at least 0
     * @param startupTimeout positive
     * @param closeTimeout positive
     * @param maxAttempts from 1 to {@link #MAX_ATTEMPTS}
     * @param taskTimeout positive, or {@code null}
     * @param maxTasksPerWorker at least 0
     * @param maxWorkerHeapBytes at least 0
     * @param maxRestarts from 1 to 1,000,000
     * @param restartWindow positive
     * @param recordLatencies whether to record latencies
     * @throws IllegalArgumentException if a value is out of range, naming it
     * @throws NullPointerException if a value that may not be null is, naming it
     */
    public PoolOptions {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        requireRange("workers", workers, 1, 4096);
        Objects.requireNonNull(javaExecutable, "javaExecutable");
        classpath = List.copyOf(Objects.requireNonNull(classpath, "classpath"));
        jvmOptions = List.copyOf(Objects.requireNonNull(jvmOptions, "jvmOptions"));
        inheritedEnvironment = Set.copyOf(Objects.requireNonNull(inheritedEnvironment, "inheritedEnvironment"));
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        workerCommand = List.copyOf(Objects.requireNonNull(workerCommand, "workerCommand"));
        if (!workerCommand.isEmpty() && workerCommand.get(0).isBlank()) {
            throw new IllegalArgumentException("workerCommand must start with a program: " + workerCommand);
        }
        if (workerCommand.isEmpty() && classpath.isEmpty()) {
            throw new IllegalArgumentException("classpath must not be empty");
        }
        allowedTasks = TaskAllowList.of(Objects.requireNonNull(allowedTasks, "allowedTasks")).entries();
        requireRange("maxFrameLength", maxFrameLength, MIN_FRAME_LENGTH, MAX_FRAME_LENGTH_LIMIT);
        requireRange("tasksInFlightPerWorker", tasksInFlightPerWorker, ADAPTIVE_TASKS_IN_FLIGHT, MAX_TASKS_IN_FLIGHT);
        requireRange("maxPendingTasks", maxPendingTasks, 0, Integer.MAX_VALUE);
        requirePositive("startupTimeout", startupTimeout);
        requirePositive("closeTimeout", closeTimeout);
        requireRange("maxAttempts", maxAttempts, 1, MAX_ATTEMPTS);
        if (taskTimeout != null) {
            requirePositive("taskTimeout", taskTimeout);
        }
        if (maxTasksPerWorker < 0) {
            throw new IllegalArgumentException("maxTasksPerWorker must be >= 0 (0 = no limit): " + maxTasksPerWorker);
        }
        if (maxWorkerHeapBytes < 0) {
            throw new IllegalArgumentException("maxWorkerHeapBytes must be >= 0 (0 = no limit): " + maxWorkerHeapBytes);
        }
        requireRange("maxRestarts", maxRestarts, 1, 1_000_000);
        requirePositive("restartWindow", restartWindow);
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
