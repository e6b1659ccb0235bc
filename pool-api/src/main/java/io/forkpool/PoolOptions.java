package io.forkpool;

import io.forkpool.spi.TaskAllowList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The validated, immutable settings of one pool, produced by {@link WorkerPoolBuilder#options()}
 * and handed to the runtime. See the builder for what each setting means and its default; each
 * accessor below says what it holds.
 *
 * <p>Options are made only by a builder, so a setting can be added without breaking anyone who
 * builds or reads them; {@link #toBuilder()} starts from existing options. Two options are equal
 * when every setting is.
 */
public final class PoolOptions {

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

    private final String name;
    private final int workers;
    private final Path javaExecutable;
    private final List<String> classpath;
    private final boolean classpathGiven;
    private final List<String> jvmOptions;
    private final Set<String> inheritedEnvironment;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final List<String> workerCommand;
    private final List<String> allowedTasks;
    private final Path classDataCache;
    private final int maxFrameLength;
    private final int tasksInFlightPerWorker;
    private final int maxPendingTasks;
    private final Duration startupTimeout;
    private final Duration closeTimeout;
    private final int maxAttempts;
    private final Duration taskTimeout;
    private final long maxTasksPerWorker;
    private final long maxWorkerHeapBytes;
    private final int maxRestarts;
    private final Duration restartWindow;
    private final boolean recordLatencies;
    private final int warmSpares;

    /**
     * Validates the builder's settings and copies them, collections included.
     *
     * @param builder the settings
     * @param name the pool's name, resolved from the builder's or a generated one
     * @param maxRestarts the restart limit, resolved from the builder's or the default for its workers
     * @throws IllegalArgumentException if a value is out of range, naming it
     * @throws NullPointerException if a value that may not be null is, naming it
     */
    PoolOptions(WorkerPoolBuilder builder, String name, int maxRestarts) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        this.name = name;
        this.workers = requireRange("workers", builder.workers, 1, 4096);
        this.javaExecutable = Objects.requireNonNull(builder.javaExecutable, "javaExecutable");
        this.classpathGiven = builder.classpath != null;
        this.classpath = classpathGiven ? List.copyOf(builder.classpath)
                : WorkerPoolBuilder.splitClasspath(System.getProperty("java.class.path", ""));
        this.jvmOptions = List.copyOf(Objects.requireNonNull(builder.jvmOptions, "jvmOptions"));
        this.inheritedEnvironment = Set.copyOf(Objects.requireNonNull(builder.inheritedEnvironment, "inheritedEnvironment"));
        this.environment = Map.copyOf(Objects.requireNonNull(builder.environment, "environment"));
        this.workingDirectory = Objects.requireNonNull(builder.workingDirectory, "workingDirectory");
        this.workerCommand = List.copyOf(Objects.requireNonNull(builder.workerCommand, "workerCommand"));
        if (!workerCommand.isEmpty() && workerCommand.get(0).isBlank()) {
            throw new IllegalArgumentException("workerCommand must start with a program: " + workerCommand);
        }
        if (workerCommand.isEmpty() && classpathGiven && classpath.isEmpty()) {
            throw new IllegalArgumentException("classpath must not be empty");
        }
        this.allowedTasks = TaskAllowList.of(Objects.requireNonNull(builder.allowedTasks, "allowedTasks")).entries();
        this.classDataCache = builder.classDataCache;
        this.maxFrameLength = requireRange("maxFrameLength", builder.maxFrameLength, MIN_FRAME_LENGTH,
                MAX_FRAME_LENGTH_LIMIT);
        this.tasksInFlightPerWorker = requireRange("tasksInFlightPerWorker", builder.tasksInFlightPerWorker,
                ADAPTIVE_TASKS_IN_FLIGHT, MAX_TASKS_IN_FLIGHT);
        this.maxPendingTasks = requireRange("maxPendingTasks", builder.maxPendingTasks, 0, Integer.MAX_VALUE);
        this.startupTimeout = requirePositive("startupTimeout", builder.startupTimeout);
        this.closeTimeout = requirePositive("closeTimeout", builder.closeTimeout);
        this.maxAttempts = requireRange("maxAttempts", builder.maxAttempts, 1, MAX_ATTEMPTS);
        this.taskTimeout = builder.taskTimeout == null ? null : requirePositive("taskTimeout", builder.taskTimeout);
        if (builder.maxTasksPerWorker < 0) {
            throw new IllegalArgumentException("maxTasksPerWorker must be >= 0 (0 = no limit): "
                    + builder.maxTasksPerWorker);
        }
        this.maxTasksPerWorker = builder.maxTasksPerWorker;
        if (builder.maxWorkerHeapBytes < 0) {
            throw new IllegalArgumentException("maxWorkerHeapBytes must be >= 0 (0 = no limit): "
                    + builder.maxWorkerHeapBytes);
        }
        this.maxWorkerHeapBytes = builder.maxWorkerHeapBytes;
        this.maxRestarts = requireRange("maxRestarts", maxRestarts, 1, 1_000_000);
        this.restartWindow = requirePositive("restartWindow", builder.restartWindow);
        this.recordLatencies = builder.recordLatencies;
        this.warmSpares = requireRange("warmSpares", builder.warmSpares, 0, workers);
    }

    private static int requireRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "]: " + value);
        }
        return value;
    }

    private static Duration requirePositive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        return value;
    }

    /**
     * A builder holding these options, to derive other options from them. Its name and restart
     * limit are these options' resolved ones: changing its {@link WorkerPoolBuilder#workers
     * workers} does not rescale the restart limit, and every pool it builds has this name.
     *
     * @return a new builder whose {@link WorkerPoolBuilder#options() options()} equal these
     */
    public WorkerPoolBuilder toBuilder() {
        WorkerPoolBuilder builder = new WorkerPoolBuilder();
        builder.name = name;
        builder.workers = workers;
        builder.javaExecutable = javaExecutable;
        builder.classpath = classpathGiven ? classpath : null;
        builder.jvmOptions = jvmOptions;
        builder.inheritedEnvironment.clear();
        builder.inheritedEnvironment.addAll(inheritedEnvironment);
        builder.environment.clear();
        builder.environment.putAll(environment);
        builder.workingDirectory = workingDirectory;
        builder.workerCommand = workerCommand;
        builder.allowedTasks = allowedTasks;
        builder.classDataCache = classDataCache;
        builder.maxFrameLength = maxFrameLength;
        builder.tasksInFlightPerWorker = tasksInFlightPerWorker;
        builder.maxPendingTasks = maxPendingTasks;
        builder.startupTimeout = startupTimeout;
        builder.closeTimeout = closeTimeout;
        builder.maxAttempts = maxAttempts;
        builder.taskTimeout = taskTimeout;
        builder.maxTasksPerWorker = maxTasksPerWorker;
        builder.maxWorkerHeapBytes = maxWorkerHeapBytes;
        builder.maxRestarts = maxRestarts;
        builder.restartWindow = restartWindow;
        builder.recordLatencies = recordLatencies;
        builder.warmSpares = warmSpares;
        return builder;
    }

    /** @return the pool's name, used in thread names and logs; not blank */
    public String name() {
        return name;
    }

    /** @return how many worker JVMs run at once, from 1 to 4096 */
    public int workers() {
        return workers;
    }

    /** @return the {@code java} launcher the workers are started with */
    public Path javaExecutable() {
        return javaExecutable;
    }

    /**
     * @return the workers' class path entries as given to {@link WorkerPoolBuilder#classpath}, not
     *     empty unless {@link #workerCommand()} is set; when it was not given, the building JVM's
     *     {@code java.class.path} (possibly empty), which the runtime widens to what the workers
     *     need when it starts them
     */
    public List<String> classpath() {
        return classpath;
    }

    /**
     * @return whether {@link WorkerPoolBuilder#classpath} was called; when it was not, the runtime
     *     finds the workers' class path itself, from where forkpool and the tasks were loaded
     */
    public boolean classpathGiven() {
        return classpathGiven;
    }

    /** @return the options placed before the worker's main class, possibly empty */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** @return the names of the supervisor's environment variables the workers inherit, possibly empty */
    public Set<String> inheritedEnvironment() {
        return inheritedEnvironment;
    }

    /** @return the variables set for the workers on top of the inherited ones, possibly empty */
    public Map<String, String> environment() {
        return environment;
    }

    /** @return the workers' working directory */
    public Path workingDirectory() {
        return workingDirectory;
    }

    /**
     * @return the command that starts a worker in place of the Java one, starting with a non-blank
     *     program, or empty for the Java worker (then {@link #javaExecutable()}, {@link #classpath()}
     *     and {@link #jvmOptions()} apply)
     */
    public List<String> workerCommand() {
        return workerCommand;
    }

    /** @return the task classes workers may run, as at least one {@link TaskAllowList} entry */
    public List<String> allowedTasks() {
        return allowedTasks;
    }

    /** @return where the workers' class-data sharing archives are kept, or {@code null} for none */
    public Path classDataCache() {
        return classDataCache;
    }

    /**
     * @return the largest payload, in bytes, either side accepts in one frame, from
     *     {@link #MIN_FRAME_LENGTH} to {@link #MAX_FRAME_LENGTH_LIMIT}
     */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * @return how many tasks a worker holds at once (one running, the rest waiting), up to
     *     {@link #MAX_TASKS_IN_FLIGHT}, or {@link #ADAPTIVE_TASKS_IN_FLIGHT} to let the pool size it
     *     from the tasks' run time
     */
    public int tasksInFlightPerWorker() {
        return tasksInFlightPerWorker;
    }

    /**
     * @return the most tasks submitted and not yet completed before {@code submit} waits for room,
     *     or 0 for no limit
     */
    public int maxPendingTasks() {
        return maxPendingTasks;
    }

    /** @return how long a worker may take from spawn to hello; positive */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** @return how long {@link WorkerPool#close()} waits for queued and running tasks; positive */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** @return how many times a task may run when its worker dies under it, from 1 to {@link #MAX_ATTEMPTS} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return how long one attempt may run, positive, or {@code null} for no limit */
    public Duration taskTimeout() {
        return taskTimeout;
    }

    /** @return the answers after which a worker is retired and replaced, or 0 for no limit */
    public long maxTasksPerWorker() {
        return maxTasksPerWorker;
    }

    /** @return the heap use above which a worker is retired and replaced, in bytes, or 0 for no limit */
    public long maxWorkerHeapBytes() {
        return maxWorkerHeapBytes;
    }

    /** @return how many worker restarts the pool tolerates within {@link #restartWindow()}, from 1 to 1,000,000 */
    public int maxRestarts() {
        return maxRestarts;
    }

    /** @return the sliding window for {@link #maxRestarts()}; positive */
    public Duration restartWindow() {
        return restartWindow;
    }

    /** @return whether the pool records its tasks' latencies for {@link WorkerPool#stats()} */
    public boolean recordLatencies() {
        return recordLatencies;
    }

    /** @return how many booted idle workers the pool keeps beside its workers, from 0 to {@link #workers()} */
    public int warmSpares() {
        return warmSpares;
    }

    /**
     * Options are equal when every setting is.
     *
     * @param other the object to compare with
     * @return whether {@code other} is a {@code PoolOptions} with the same settings
     */
    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof PoolOptions o
                && name.equals(o.name)
                && workers == o.workers
                && javaExecutable.equals(o.javaExecutable)
                && classpath.equals(o.classpath)
                && classpathGiven == o.classpathGiven
                && jvmOptions.equals(o.jvmOptions)
                && inheritedEnvironment.equals(o.inheritedEnvironment)
                && environment.equals(o.environment)
                && workingDirectory.equals(o.workingDirectory)
                && workerCommand.equals(o.workerCommand)
                && allowedTasks.equals(o.allowedTasks)
                && Objects.equals(classDataCache, o.classDataCache)
                && maxFrameLength == o.maxFrameLength
                && tasksInFlightPerWorker == o.tasksInFlightPerWorker
                && maxPendingTasks == o.maxPendingTasks
                && startupTimeout.equals(o.startupTimeout)
                && closeTimeout.equals(o.closeTimeout)
                && maxAttempts == o.maxAttempts
                && Objects.equals(taskTimeout, o.taskTimeout)
                && maxTasksPerWorker == o.maxTasksPerWorker
                && maxWorkerHeapBytes == o.maxWorkerHeapBytes
                && maxRestarts == o.maxRestarts
                && restartWindow.equals(o.restartWindow)
                && recordLatencies == o.recordLatencies
                && warmSpares == o.warmSpares;
    }

    /** @return a hash of every setting, consistent with {@link #equals} */
    @Override
    public int hashCode() {
        return Objects.hash(name, workers, javaExecutable, classpath, classpathGiven, jvmOptions, inheritedEnvironment, environment,
                workingDirectory, workerCommand, allowedTasks, classDataCache, maxFrameLength, tasksInFlightPerWorker,
                maxPendingTasks, startupTimeout, closeTimeout, maxAttempts, taskTimeout, maxTasksPerWorker,
                maxWorkerHeapBytes, maxRestarts, restartWindow, recordLatencies, warmSpares);
    }

    /** @return every setting by name, as {@code PoolOptions[name=…, workers=…, …]} */
    @Override
    public String toString() {
        return "PoolOptions[name=" + name + ", workers=" + workers + ", javaExecutable=" + javaExecutable
                + ", classpath=" + (classpathGiven ? classpath : "default") + ", jvmOptions=" + jvmOptions
                + ", inheritedEnvironment=" + inheritedEnvironment + ", environment=" + environment
                + ", workingDirectory=" + workingDirectory + ", workerCommand=" + workerCommand
                + ", allowedTasks=" + allowedTasks + ", classDataCache=" + classDataCache
                + ", maxFrameLength=" + maxFrameLength + ", tasksInFlightPerWorker=" + tasksInFlightPerWorker
                + ", maxPendingTasks=" + maxPendingTasks + ", startupTimeout=" + startupTimeout
                + ", closeTimeout=" + closeTimeout + ", maxAttempts=" + maxAttempts + ", taskTimeout=" + taskTimeout
                + ", maxTasksPerWorker=" + maxTasksPerWorker + ", maxWorkerHeapBytes=" + maxWorkerHeapBytes
                + ", maxRestarts=" + maxRestarts + ", restartWindow=" + restartWindow
                + ", recordLatencies=" + recordLatencies + ", warmSpares=" + warmSpares + "]";
    }
}
