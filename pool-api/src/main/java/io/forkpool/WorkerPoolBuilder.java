package io.forkpool;

import io.forkpool.spi.TaskAllowList;
import io.forkpool.spi.WorkerPoolProvider;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Configures and starts a {@link WorkerPool}. Every setting has a documented default, so
 * {@code WorkerPool.builder().build()} is a complete pool. Not thread-safe; {@link #build()} may
 * be called more than once, each call starting a new pool.
 *
 * <p>Setters reject {@code null} where it is not allowed at once, with a
 * {@link NullPointerException}; ranges are checked by {@link #options()} and {@link #build()},
 * which throw an {@link IllegalArgumentException} naming the setting and the value.
 *
 * <p>The pool itself comes from the runtime found on the class path ({@code pool-runtime}), through
 * {@link ServiceLoader}.
 */
public final class WorkerPoolBuilder {

    /** The JVM options a worker gets unless {@link #jvmOptions} replaces them. */
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto");

    /**
     * The supervisor's environment variables a worker inherits unless {@link #inheritEnvironment}
     * adds more: what a JVM and its child processes need to run, and nothing that usually holds a
     * secret (tokens and passwords live in other variables, which workers do not see).
     */
    public static final Set<String> DEFAULT_INHERITED_ENVIRONMENT = Set.of("PATH", "HOME", "USER", "LOGNAME",
            "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TERM");

    private static final AtomicInteger POOL_SEQUENCE = new AtomicInteger();

    // Package-private: PoolOptions reads them when it validates, and writes them in toBuilder().
    String name;
    int workers = Runtime.getRuntime().availableProcessors();
    Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> classpath; // null: not set, so the runtime finds what the workers need
    List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
    final Set<String> inheritedEnvironment = new HashSet<>(DEFAULT_INHERITED_ENVIRONMENT);
    final Map<String, String> environment = new HashMap<>();
    Path workingDirectory = Path.of("").toAbsolutePath();
    List<String> workerCommand = List.of();
    List<String> allowedTasks = List.of(TaskAllowList.ANY);
    Path classDataCache = defaultCacheDirectory();
    int maxFrameLength = 64 << 20;
    int tasksInFlightPerWorker = PoolOptions.ADAPTIVE_TASKS_IN_FLIGHT;
    int maxPendingTasks;
    Duration startupTimeout = Duration.ofSeconds(30);
    Duration closeTimeout = Duration.ofSeconds(30);
    int maxAttempts = 3;
    Duration taskTimeout;
    long maxTasksPerWorker;
    long maxWorkerHeapBytes;
    Integer maxRestarts;
    Duration restartWindow = Duration.ofMinutes(1);
    boolean recordLatencies = true;
    int warmSpares;

    WorkerPoolBuilder() {
    }

    /**
     * Names the pool; the name appears in thread names and log lines.
     * Default: {@code forkpool-1}, {@code forkpool-2}, … in order of creation.
     *
     * @param name a non-blank name
     * @return this builder
     */
    public WorkerPoolBuilder name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * Sets how many worker JVMs run at once. Default: {@link Runtime#availableProcessors()}.
     *
     * @param workers from 1 to 4096
     * @return this builder
     */
    public WorkerPoolBuilder workers(int workers) {
        this.workers = workers;
        return this;
    }

    /**
     * Sets the {@code java} launcher for the workers, e.g. another installed JDK's
     * {@code bin/java} to run tasks on a different Java version. Default: the launcher of the
     * JVM that builds the pool ({@code ${java.home}/bin/java}).
     *
     * @param javaExecutable path of a {@code java} executable
     * @return this builder
     */
    public WorkerPoolBuilder javaExecutable(Path javaExecutable) {
        this.javaExecutable = Objects.requireNonNull(javaExecutable, "javaExecutable");
        return this;
    }

    /**
     * Sets the workers' class path; it must hold forkpool's worker bootstrap, its dependencies
     * and the task classes. The workers get exactly these entries.
     *
     * <p>Default: found when the pool is built, from where the classes were really loaded: the
     * building JVM's {@code java.class.path}, then its module path ({@code jdk.module.path}), then
     * the jars and directories of the class loaders that loaded forkpool, Jackson and SLF4J and of
     * the thread's context class loader (walking up their {@code URLClassLoader} parents), then
     * those classes' code sources; only existing local files, each once, the JDK's own left out.
     * That covers a plain class path, a shaded jar, {@code mvn exec:java}, the module path and
     * child class loaders. Set it when the workers need something else, such as a Spring Boot
     * executable jar's extracted {@code BOOT-INF/lib} jars and {@code BOOT-INF/classes}.
     *
     * @param entries class path entries (jars or directories)
     * @return this builder
     */
    public WorkerPoolBuilder classpath(List<String> entries) {
        this.classpath = List.copyOf(entries);
        return this;
    }

    /**
     * Replaces the workers' JVM options (heap size, GC, system properties…). Default:
     * {@link #DEFAULT_JVM_OPTIONS}: the serial collector (one worker per core needs no parallel
     * GC threads), no perf-data file, class-data sharing when available. The runtime always adds
     * {@code -XX:+ExitOnOutOfMemoryError} so that an out-of-memory error ends the worker at once.
     *
     * @param options options such as {@code -Xmx256m}, passed verbatim, never through a shell
     * @return this builder
     */
    public WorkerPoolBuilder jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /**
     * Sets the workers' JVM options; see {@link #jvmOptions(List)}.
     *
     * @param options options passed verbatim
     * @return this builder
     */
    public WorkerPoolBuilder jvmOptions(String... options) {
        return jvmOptions(Arrays.asList(options));
    }

    /**
     * Lets the workers inherit more of the building JVM's environment variables. Default: only
     * {@link #DEFAULT_INHERITED_ENVIRONMENT}; every other variable — such as a cloud credential
     * the supervisor holds — is absent in the workers unless named here.
     *
     * @param variables names of variables to pass through when the building JVM has them
     * @return this builder
     */
    public WorkerPoolBuilder inheritEnvironment(String... variables) {
        for (String variable : variables) {
            inheritedEnvironment.add(Objects.requireNonNull(variable, "variable"));
        }
        return this;
    }

    /**
     * Sets one environment variable of the workers, on top of the inherited ones. Default: none.
     *
     * @param variable the variable's name
     * @param value its value
     * @return this builder
     */
    public WorkerPoolBuilder environment(String variable, String value) {
        environment.put(Objects.requireNonNull(variable, "variable"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Sets the workers' working directory. Default: the building JVM's working directory.
     *
     * @param directory an existing directory
     * @return this builder
     */
    public WorkerPoolBuilder workingDirectory(Path directory) {
        this.workingDirectory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        return this;
    }

    /**
     * Starts workers with this command instead of forkpool's Java worker: any program, in any
     * language, that speaks the protocol of {@code docs/PROTOCOL.md}, for example
     * {@code workerCommand("python3", "forkpool_worker.py")} for the Python reference worker. The
     * command is an argument list run without a shell, so no argument is ever interpreted as shell
     * syntax; the worker receives its configuration on standard input, never on its command line.
     * When it is set, {@link #javaExecutable}, {@link #classpath} and {@link #jvmOptions} are not
     * used. Tasks are still submitted as {@link Task} classes: the worker receives their binary
     * names and maps them to its own code. Default: none (the Java worker).
     *
     * @param command the program and its arguments; empty to go back to the Java worker
     * @return this builder
     */
    public WorkerPoolBuilder workerCommand(List<String> command) {
        this.workerCommand = List.copyOf(command);
        return this;
    }

    /**
     * Same as {@link #workerCommand(List)}.
     *
     * @param command the program and its arguments
     * @return this builder
     */
    public WorkerPoolBuilder workerCommand(String... command) {
        return workerCommand(Arrays.asList(command));
    }

    /**
     * Restricts the task classes the workers may run. Each entry is {@code "*"} (any class), a
     * package pattern such as {@code "com.example.tasks.*"} (that package and those below it) or a
     * binary class name such as {@code "com.example.CountPrimes"}. {@code submit} with a class
     * outside the list fails with {@link IllegalArgumentException}, and a worker refuses to even
     * load a class outside it. A method reference ({@code Primes::count}) counts as its class.
     * Names under {@code java.}, {@code javax.}, {@code jdk.}, {@code sun.} and {@code com.sun.}
     * are always refused.
     *
     * <p>Default: {@code "*"}. A worker runs only classes that implement {@link Task}, or public
     * static one-parameter methods ({@link TaskFunction}), checks that before it initializes the
     * class, and receives names only from its own supervisor over a private socket; the list
     * narrows that further, which is worth doing when the workers' class path is large.
     *
     * @param entries one or more entries; replaces the previous list
     * @return this builder
     */
    public WorkerPoolBuilder allowTasks(String... entries) {
        this.allowedTasks = List.of(entries);
        return this;
    }

    /**
     * Sets where the workers' class-data sharing archives are kept. The first pool with a given
     * {@code java}, JVM options and class path records, in one background JVM, an AppCDS archive
     * of the classes every worker loads before its first task; later workers of that
     * configuration map it instead of loading those classes, which roughly halves a worker's
     * start-up. A missing, stale or unusable archive is ignored, a class path holding a directory
     * is never recorded (the JVM cannot archive from directories), and custom
     * {@link #workerCommand}s and JVM options that set {@code -Xshare} or an archive themselves are
     * left alone. The directory must be yours alone: one that is a symbolic link, belongs to
     * another user, or that its group or others can write is not used (the pool logs a warning
     * once) and the workers start without an archive. Default: the system property
     * {@code forkpool.cache.dir} if set, else {@code $XDG_CACHE_HOME/forkpool}, else
     * {@code ~/.cache/forkpool}.
     *
     * @param directory the cache directory, created for this user only (0700) when needed;
     *     {@code null} turns archives off
     * @return this builder
     */
    public WorkerPoolBuilder classDataCache(Path directory) {
        this.classDataCache = directory == null ? null : directory.toAbsolutePath();
        return this;
    }

    /**
     * Caps the payload of one protocol frame, in either direction; larger task inputs or outputs
     * fail that task, and a worker announcing a larger frame is treated as broken. The cap is
     * checked before any buffer is allocated. Default: 64 MiB.
     *
     * @param bytes from 1 KiB to {@link PoolOptions#MAX_FRAME_LENGTH_LIMIT}
     * @return this builder
     */
    public WorkerPoolBuilder maxFrameLength(int bytes) {
        this.maxFrameLength = bytes;
        return this;
    }

    /**
     * Fixes how many tasks one worker holds at once: one runs, the others wait inside the worker so
     * it never idles for a round trip. Higher values help tiny tasks and hurt load balance for
     * long ones.
     *
     * <p>Default: adaptive. The pool measures how long each worker takes per task and lets it hold
     * about one millisecond of work, from 2 tasks (a task of a millisecond or more) up to 1,024
     * (tasks of a microsecond), so tiny tasks travel hundreds to a write and long ones stay
     * balanced. Fix it to 1 when a task must never wait behind another in a worker.
     *
     * @param tasks from 1 to {@link PoolOptions#MAX_TASKS_IN_FLIGHT}, or
     *     {@link PoolOptions#ADAPTIVE_TASKS_IN_FLIGHT} for the default
     * @return this builder
     */
    public WorkerPoolBuilder tasksInFlightPerWorker(int tasks) {
        this.tasksInFlightPerWorker = tasks;
        return this;
    }

    /**
     * Bounds the tasks submitted and not yet completed, for backpressure: once the pool holds
     * this many, {@code submit}, {@code submitAll} and {@code invokeAll} wait for room, so a
     * producer faster than the workers cannot fill the supervisor's heap. A batch larger than the
     * bound is queued in parts as room appears; the call returns once its last task is queued.
     * A thread waiting for room that is interrupted, or whose pool closes, gets a
     * {@link java.util.concurrent.RejectedExecutionException} (the interrupt flag stays set).
     * Submitting from a callback the pool runs (a future's {@code thenApply} completed by the
     * pool's own threads) never waits, since waiting there would stop the pool from completing
     * the tasks that make room; such tasks may exceed the bound.
     *
     * <p>Default: 0, no bound. Without one, a queued no-op task costs the supervisor about
     * 250–300 bytes of heap (docs/BENCHMARKS.md, "Queued tasks"), so a million queued tasks fit
     * in 512 MiB.
     *
     * @param tasks the bound, at least 1, or 0 for none
     * @return this builder
     */
    public WorkerPoolBuilder maxPendingTasks(int tasks) {
        this.maxPendingTasks = tasks;
        return this;
    }

    /**
     * Sets how long a worker may take from being spawned to saying hello; past it the worker is
     * killed and the start fails. Default: 30 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public WorkerPoolBuilder startupTimeout(Duration timeout) {
        this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * Sets how long {@link WorkerPool#close()} lets queued and running tasks finish before it
     * cancels them and stops the workers. Default: 30 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public WorkerPoolBuilder closeTimeout(Duration timeout) {
        this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * Sets how many times in total a task may run when the worker running it dies (crashes, is
     * killed from outside, runs out of memory). Each retry runs on another worker process; tasks a
     * dead worker had received but not started are re-queued without using an attempt. A task that
     * killed its worker on every attempt fails with {@link PoisonTaskException}. Timed-out and
     * cancelled tasks are never retried. Default: 3 — a worker killed from outside, or by a
     * neighbour's memory use, costs a task one retry, while a task that kills every worker it touches
     * takes down at most three. Override per task with {@link TaskOptions}.
     *
     * @param attempts from 1 (never retry) to 100
     * @return this builder
     */
    public WorkerPoolBuilder maxAttempts(int attempts) {
        this.maxAttempts = attempts;
        return this;
    }

    /**
     * Sets how long one attempt of a task may run in its worker. On expiry the worker is asked to
     * cancel the task (its thread is interrupted); a task still running a short grace later has its
     * worker killed and replaced. The future completes with {@link TaskTimeoutException}; the task is
     * not retried. Default: no timeout. Override per task with {@link TaskOptions}.
     *
     * @param timeout a positive duration, or {@code null} for none
     * @return this builder
     */
    public WorkerPoolBuilder taskTimeout(Duration timeout) {
        this.taskTimeout = timeout;
        return this;
    }

    /**
     * Retires a worker after it has answered this many tasks: a replacement is started first, the
     * worker finishes what it holds, then exits. Guards against slow leaks in task code. Default:
     * 0, no limit.
     *
     * @param tasks a positive count, or 0 for no limit
     * @return this builder
     */
    public WorkerPoolBuilder maxTasksPerWorker(long tasks) {
        this.maxTasksPerWorker = tasks;
        return this;
    }

    /**
     * Retires a worker whose used heap, measured after a full task, exceeds this many bytes (it is
     * replaced first, as for {@link #maxTasksPerWorker}). Default: 0, no limit.
     *
     * @param bytes a positive number of bytes, or 0 for no limit
     * @return this builder
     */
    public WorkerPoolBuilder maxWorkerHeapBytes(long bytes) {
        this.maxWorkerHeapBytes = bytes;
        return this;
    }

    /**
     * Keeps this many workers booted and idle beside the pool's workers. When a worker dies or is
     * retired, an idle spare takes its place at once — a crash costs the time to hand the spare
     * the work, not a JVM's start-up — and a new spare boots behind it. A spare is supervised like
     * any worker: it dies with the pool and its parent, is replaced when it dies, and runs no task
     * until it takes a worker's place, so it counts toward no task's attempts. Each costs an idle
     * JVM's memory (about 60 MB resident) and one more JVM start-up of CPU, after the pool is ready
     * (spares never slow the first workers). Default: 0, none (see docs/BENCHMARKS.md for what
     * recovery costs with and without).
     *
     * @param spares from 0 to the number of workers
     * @return this builder
     */
    public WorkerPoolBuilder warmSpares(int spares) {
        this.warmSpares = spares;
        return this;
    }

    /**
     * Bounds restarts, Erlang/OTP style: if workers had to be restarted more than {@code restarts}
     * times within {@code window}, the pool stops restarting them and fails
     * ({@link PoolFailedException}) instead of fork-looping. Independently, five workers in a row
     * that die before saying hello fail the pool at once. Default: 30 restarts per worker per minute.
     *
     * @param restarts the tolerated number of restarts, from 1 to 1,000,000
     * @param window the sliding window they are counted in, a positive duration
     * @return this builder
     */
    public WorkerPoolBuilder restartLimit(int restarts, Duration window) {
        this.maxRestarts = restarts;
        this.restartWindow = Objects.requireNonNull(window, "window");
        return this;
    }

    /**
     * Whether the pool records each task's queue wait, execution time and round trip in
     * histograms for {@link WorkerPool#stats()}. Recording is three wait-free histogram updates per
     * reply, on the thread that reads it, and never waits for a reader of the stats: with it on
     * and off in one benchmark run, tiny-task throughput differs by less than its own noise (±4%,
     * {@code docs/BENCHMARKS.md}). Turning it off
     * leaves the latency figures of the stats {@link LatencyStats#EMPTY} and every counter intact.
     * Default: true.
     *
     * @param record whether to record latencies
     * @return this builder
     */
    public WorkerPoolBuilder recordLatencies(boolean record) {
        this.recordLatencies = record;
        return this;
    }

    /**
     * Validates the settings without starting anything.
     *
     * @return the settings a pool built now would get
     * @throws IllegalArgumentException if a setting is out of range, naming it and the value
     */
    public PoolOptions options() {
        String poolName = name != null ? name : "forkpool-" + POOL_SEQUENCE.incrementAndGet();
        int restarts = maxRestarts != null ? maxRestarts : 30 * Math.max(1, workers);
        return new PoolOptions(this, poolName, restarts);
    }

    /**
     * Starts the workers in parallel and returns once every one has said hello. Blocks.
     *
     * @return a running pool
     * @throws IllegalArgumentException if a setting is out of range
     * @throws PoolStartupException if the workers cannot be started
     * @throws IllegalStateException if no forkpool runtime is on the class path
     */
    public WorkerPool build() {
        PoolOptions options = options();
        WorkerPoolProvider provider = ServiceLoader.load(WorkerPoolProvider.class, WorkerPoolBuilder.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no forkpool runtime on the class path: add the io.forkpool:pool-runtime dependency"));
        return provider.create(options);
    }

    private static Path defaultCacheDirectory() {
        String configured = System.getProperty("forkpool.cache.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "forkpool").toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "forkpool");
    }

    static List<String> splitClasspath(String classpath) {
        return Arrays.stream(classpath.split(File.pathSeparator)).filter(s -> !s.isEmpty()).toList();
    }
}
