package io.forkpool.micrometer;

import io.forkpool.ExitCause;
import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds every figure of a pool's {@link WorkerPool#stats()} to a Micrometer {@link MeterRegistry}:
 * the figures the pool's MXBean shows, under Micrometer's names and tags.
 *
 * <pre>{@code
 * WorkerPool pool = WorkerPool.builder().name("primes").build();
 * new ForkPoolMetrics(pool).bindTo(registry);     // every meter tagged pool=primes
 * }</pre>
 *
 * <p><b>Meters.</b> Each is tagged {@code pool=<the pool's name>} and with the tags given to the
 * constructor (which may replace {@code pool}). Counts are {@link FunctionCounter}s (monotonic, so
 * {@code rate()} and {@code increase()} work), levels are {@link Gauge}s, durations are
 * {@link TimeGauge}s in the registry's base time unit (seconds for Prometheus). Tag values that
 * name a state or a cause are lower case with hyphens ({@code timed-out}, {@code exit-code}), as
 * Micrometer's own {@code jvm.threads.states} are. A base unit is set only where there is a
 * physical one (bytes, time): as with Micrometer's cache meters, a count is named after what it
 * counts.
 * <table class="striped">
 * <caption>The meters</caption>
 * <thead><tr><th>name</th><th>type</th><th>tags</th><th>{@link PoolStats} figure</th></tr></thead>
 * <tbody>
 * <tr><td>{@code forkpool.tasks.submitted}</td><td>counter</td><td></td><td>{@code submitted}</td></tr>
 * <tr><td>{@code forkpool.tasks.completed}</td><td>counter</td><td>{@code outcome}: {@code succeeded},
 *     {@code failed}, {@code timed-out}, {@code cancelled}</td><td>{@code succeeded}, {@code failed},
 *     {@code timedOut}, {@code cancelled}; their sum is {@code completed()}</td></tr>
 * <tr><td>{@code forkpool.tasks.retried}</td><td>counter</td><td></td><td>{@code retried}</td></tr>
 * <tr><td>{@code forkpool.tasks.queued}</td><td>gauge</td><td></td><td>{@code queued}</td></tr>
 * <tr><td>{@code forkpool.workers.states}</td><td>gauge</td><td>{@code state}: {@code none},
 *     {@code starting}, {@code ready}, {@code retiring}, {@code stopping}, {@code dead}</td><td>worker
 *     slots in each state; their sum is the pool's size</td></tr>
 * <tr><td>{@code forkpool.workers.alive}</td><td>gauge</td><td></td><td>{@code workersAlive()}</td></tr>
 * <tr><td>{@code forkpool.workers.spares}</td><td>gauge</td><td></td><td>{@code sparesReady}</td></tr>
 * <tr><td>{@code forkpool.workers.restarts}</td><td>counter</td><td></td><td>{@code workerRestarts}</td></tr>
 * <tr><td>{@code forkpool.workers.exits}</td><td>counter</td><td>{@code cause}: each {@link ExitCause};
 *     {@code crash}: {@code true} or {@code false}</td><td>{@code workerExits}; those with
 *     {@code crash=true} sum to {@code crashes()}</td></tr>
 * <tr><td>{@code forkpool.worker.tasks}</td><td>counter</td><td>{@code worker}</td><td>a slot's
 *     {@link WorkerStats#tasksCompleted()}</td></tr>
 * <tr><td>{@code forkpool.worker.restarts}</td><td>counter</td><td>{@code worker}</td><td>a slot's
 *     {@link WorkerStats#restarts()}</td></tr>
 * <tr><td>{@code forkpool.worker.uptime}</td><td>time gauge</td><td>{@code worker}</td><td>a slot's
 *     {@link WorkerStats#uptime()}; 0 while it has no process</td></tr>
 * <tr><td>{@code forkpool.worker.heap.used}</td><td>gauge, bytes</td><td>{@code worker}</td><td>a
 *     slot's {@link WorkerStats#heapUsedBytes()}; NaN before its process first reports and while the
 *     slot has no process</td></tr>
 * <tr><td>{@code forkpool.tasks.<d>.percentile}</td><td>time gauge</td><td>{@code phi}: {@code 0.5},
 *     {@code 0.9}, {@code 0.99}, {@code 0.999}</td><td>{@link LatencyStats}' percentiles, for
 *     {@code <d>} = {@code queue.wait}, {@code execution} and {@code round.trip}</td></tr>
 * <tr><td>{@code forkpool.tasks.<d>.max}</td><td>time gauge</td><td></td><td>{@link LatencyStats#maxNanos()}</td></tr>
 * <tr><td>{@code forkpool.tasks.<d>.count}</td><td>counter</td><td></td><td>{@link LatencyStats#count()}:
 *     the tasks recorded</td></tr>
 * </tbody>
 * </table>
 *
 * <p>A slot's meters carry {@code worker=<slot id>}: ids run from 0 to the pool's size less one
 * and are kept across restarts, so they bound the number of series; a process id would not, and
 * appears in no tag or value. The per-worker meters are registered for the slots the pool had when
 * this binder was made: a process pool's slots are fixed, a {@code ClusterPool} reports none (its
 * members' own pools have them). A slot's state and last exit cause, being names, are counted in
 * {@code forkpool.workers.states} and {@code forkpool.workers.exits} instead.
 *
 * <p><b>Latency as percentile gauges, not a {@code Timer}.</b> A Micrometer {@code Timer} or
 * {@code DistributionSummary} must be handed every event as it happens, and the pool hands out
 * none: it records each task into HdrHistograms inside the runtime and {@code stats()} returns
 * their count, p50, p90, p99, p99.9 and max. A {@code FunctionTimer} would need the total time as
 * well, which the pool does not keep. So each distribution is published as Micrometer publishes a
 * timer's own client-side percentiles, as gauges named {@code <name>.percentile} tagged
 * {@code phi}, beside a {@code .max} gauge and a {@code .count} counter. Two things differ from a
 * Micrometer timer: the percentiles cover every task since the pool started (a timer's decay over
 * a sliding window of a few minutes), so after a long run they move slowly and a recent slowdown
 * shows late in p50 and p90 (the max and the high percentiles show it first); and percentiles of
 * several pools, or several instances of an application, cannot be averaged or added into one:
 * compare them side by side. Until a task has been recorded, and always in a pool built with
 * {@code recordLatencies(false)}, they are 0 with a count of 0.
 *
 * <p><b>One {@code stats()} per scrape.</b> {@code stats()} drains the pool's latency recorders
 * under a lock; rather than call it once per meter, all of this binder's meters share one snapshot
 * for the time to live given to the constructor ({@link #DEFAULT_SNAPSHOT_TTL} by default), in every
 * registry it is bound to. The meters of one scrape thus come from one snapshot, and a scrape
 * costs one {@code stats()} call; a figure is at most that old when read.
 *
 * <p><b>References and closing.</b> This binder and its meters hold the pool only weakly
 * (Micrometer's gauges and function counters hold the object they read weakly), so neither keeps
 * a pool alive. After {@link WorkerPool#close()} every figure stays at its final value, for
 * {@code stats()} still answers: the counters keep their totals, {@code forkpool.workers.states}
 * shows every slot {@code dead}, {@code alive}, {@code queued} and the uptimes 0, the heap NaN.
 * Once the pool has been garbage-collected, the gauges read NaN and the counters keep their last
 * value. To remove the meters, {@link #close()} this binder.
 *
 * <p>Micrometer identifies a meter by its name and tags: two pools of the same name bound to one
 * registry with the same tags would share meters, the first pool's being kept. Give such pools
 * distinct names, or tell them apart with a tag of their own; and close the binder of a closed
 * pool before binding another of the same name.
 *
 * <p>Thread-safe.
 */
public final class ForkPoolMetrics implements MeterBinder, AutoCloseable {

    /** How long all meters share one snapshot unless the constructor is told otherwise: one second. */
    public static final Duration DEFAULT_SNAPSHOT_TTL = Duration.ofSeconds(1);

    private static final String[] PHI = {"0.5", "0.9", "0.99", "0.999"};
    private static final String[] STATES = {"NONE", "STARTING", "READY", "RETIRING", "STOPPING", "DEAD"};

    private final WeakReference<WorkerPool> pool;
    private final Tags tags;
    private final int[] workerIds;
    private final Snapshots snapshots;
    private final Map<MeterRegistry, List<Meter>> bound = new LinkedHashMap<>(); // guarded by itself
    private boolean closed; // guarded by bound

    /**
     * Meters for a pool, tagged {@code pool=<its name>}. Takes one snapshot, for the name and the slots.
     *
     * @param pool the pool to observe; held weakly
     * @throws NullPointerException if {@code pool} is null
     */
    public ForkPoolMetrics(WorkerPool pool) {
        this(pool, Tags.empty());
    }

    /**
     * Meters for a pool, tagged {@code pool=<its name>} and with {@code tags}, a tag of the same key
     * as one of those replacing it. Takes one snapshot, for the name and the slots.
     *
     * @param pool the pool to observe; held weakly
     * @param tags added to every meter, e.g. to tell apart pools of the same name
     * @throws NullPointerException if an argument is null
     */
    public ForkPoolMetrics(WorkerPool pool, Iterable<Tag> tags) {
        this(pool, tags, DEFAULT_SNAPSHOT_TTL);
    }

    /**
     * Meters for a pool, with tags as {@link #ForkPoolMetrics(WorkerPool, Iterable)}, that share
     * one snapshot for {@code snapshotTtl}. Takes one snapshot, for the name and the slots.
     *
     * @param pool the pool to observe; held weakly
     * @param tags added to every meter
     * @param snapshotTtl how long the meters hand out one snapshot of the pool before they take
     *     another; zero takes one for every read of every meter
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code snapshotTtl} is negative
     */
    public ForkPoolMetrics(WorkerPool pool, Iterable<Tag> tags, Duration snapshotTtl) {
        this(pool, tags, snapshotTtl, System::nanoTime);
    }

    /** As the public constructor, on a clock of the caller's: tests tell scrapes apart with it. */
    ForkPoolMetrics(WorkerPool pool, Iterable<Tag> tags, Duration snapshotTtl, LongSupplier clock) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(snapshotTtl, "snapshotTtl");
        if (snapshotTtl.isNegative()) {
            throw new IllegalArgumentException("snapshotTtl is negative: " + snapshotTtl);
        }
        PoolStats first = pool.stats();
        this.pool = new WeakReference<>(pool);
        this.tags = Tags.of("pool", first.name()).and(tags);
        this.workerIds = first.workers().stream().mapToInt(WorkerStats::workerId).toArray();
        this.snapshots = new Snapshots(first, saturatedNanos(snapshotTtl), clock);
    }

    /**
     * Registers every meter in {@code registry}. Binding to several registries shares one
     * snapshot among them all; binding twice to one registry registers nothing new. Registers
     * nothing if the pool has been garbage-collected.
     *
     * @param registry where the meters go
     * @throws IllegalStateException if this binder was closed
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (bound) {
            if (closed) {
                throw new IllegalStateException("closed: bind a new ForkPoolMetrics");
            }
            WorkerPool observed = pool.get();
            if (observed == null) {
                return;
            }
            List<Meter> meters = bound.computeIfAbsent(registry, r -> new ArrayList<>());
            meters.addAll(new Registration(observed, registry).all());
        }
    }

    /**
     * Removes the meters of this binder from every registry it was bound to, so that a closed
     * pool's figures stop being published, or another pool of the same name can be bound.
     * Closes nothing else; idempotent.
     */
    @Override
    public void close() {
        synchronized (bound) {
            closed = true;
            for (Map.Entry<MeterRegistry, List<Meter>> registry : bound.entrySet()) {
                for (Meter meter : registry.getValue()) {
                    registry.getKey().remove(meter);
                }
            }
            bound.clear();
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A state or cause as a tag value: lower case, words joined by hyphens. */
    static String tagValue(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static double heapUsed(WorkerStats worker) {
        return worker == null || worker.pid() == -1 || worker.heapUsedBytes() < 0 ? Double.NaN
                : worker.heapUsedBytes();
    }

    private static WorkerStats slot(PoolStats stats, int workerId) {
        for (WorkerStats worker : stats.workers()) {
            if (worker.workerId() == workerId) {
                return worker;
            }
        }
        return null;
    }

    private static long countInState(PoolStats stats, String state) {
        return stats.workers().stream().filter(worker -> worker.state().equals(state)).count();
    }

    /**
     * One registration of every meter in one registry. Each meter reads the pool it was handed,
     * which Micrometer holds weakly, through the shared snapshot; no function here captures the pool.
     */
    private final class Registration {

        private final WorkerPool observed;
        private final MeterRegistry registry;
        private final List<Meter> meters = new ArrayList<>();

        Registration(WorkerPool observed, MeterRegistry registry) {
            this.observed = observed;
            this.registry = registry;
        }

        List<Meter> all() {
            counter("forkpool.tasks.submitted", Tags.empty(), "Tasks accepted, a batch's inputs counted one by one",
                    PoolStats::submitted);
            String completed = "Tasks completed, by outcome";
            counter("forkpool.tasks.completed", Tags.of("outcome", "succeeded"), completed, PoolStats::succeeded);
            counter("forkpool.tasks.completed", Tags.of("outcome", "failed"), completed, PoolStats::failed);
            counter("forkpool.tasks.completed", Tags.of("outcome", "timed-out"), completed, PoolStats::timedOut);
            counter("forkpool.tasks.completed", Tags.of("outcome", "cancelled"), completed, PoolStats::cancelled);
            counter("forkpool.tasks.retried", Tags.empty(), "Attempts started again because a worker died running them",
                    PoolStats::retried);
            gauge("forkpool.tasks.queued", Tags.empty(), "Tasks waiting in the pool's queue for a worker", null,
                    PoolStats::queued);

            for (String state : STATES) {
                gauge("forkpool.workers.states", Tags.of("state", tagValue(state)), "Worker slots in each state", null,
                        stats -> countInState(stats, state));
            }
            gauge("forkpool.workers.alive", Tags.empty(), "Worker slots that have a running process", null,
                    PoolStats::workersAlive);
            gauge("forkpool.workers.spares", Tags.empty(), "Warm spares booted and idle", null,
                    PoolStats::sparesReady);
            counter("forkpool.workers.restarts", Tags.empty(), "Workers started to replace ones that died or retired",
                    PoolStats::workerRestarts);
            for (ExitCause cause : ExitCause.values()) {
                counter("forkpool.workers.exits",
                        Tags.of("cause", tagValue(cause.name()), "crash", Boolean.toString(cause.isCrash())),
                        "Worker processes ended, by cause", stats -> stats.workerExits().get(cause));
            }

            for (int workerId : workerIds) {
                Tags worker = Tags.of("worker", Integer.toString(workerId));
                counter("forkpool.worker.tasks", worker, "Tasks answered by the slot's processes, over its restarts",
                        stats -> {
                            WorkerStats slot = slot(stats, workerId);
                            return slot == null ? 0 : slot.tasksCompleted();
                        });
                counter("forkpool.worker.restarts", worker, "Times the slot's process was replaced", stats -> {
                    WorkerStats slot = slot(stats, workerId);
                    return slot == null ? 0 : slot.restarts();
                });
                timeGauge("forkpool.worker.uptime", worker, "How long the slot's process has been running",
                        stats -> {
                            WorkerStats slot = slot(stats, workerId);
                            return slot == null ? Double.NaN : slot.uptime().toNanos();
                        });
                gauge("forkpool.worker.heap.used", worker, "Heap in use that the slot's process last reported",
                        BaseUnits.BYTES, stats -> heapUsed(slot(stats, workerId)));
            }

            latency("forkpool.tasks.queue.wait", "from submit until the task was written to its worker",
                    PoolStats::queueWait);
            latency("forkpool.tasks.execution", "while the task was its worker's running task",
                    PoolStats::execution);
            latency("forkpool.tasks.round.trip", "from submit until the task's reply was read",
                    PoolStats::roundTrip);
            return meters;
        }

        private void latency(String name, String what, Function<PoolStats, LatencyStats> of) {
            String percentile = "Percentile of the time " + what + ", over every task since the pool started";
            timeGauge(name + ".percentile", Tags.of("phi", PHI[0]), percentile, stats -> of.apply(stats).p50Nanos());
            timeGauge(name + ".percentile", Tags.of("phi", PHI[1]), percentile, stats -> of.apply(stats).p90Nanos());
            timeGauge(name + ".percentile", Tags.of("phi", PHI[2]), percentile, stats -> of.apply(stats).p99Nanos());
            timeGauge(name + ".percentile", Tags.of("phi", PHI[3]), percentile, stats -> of.apply(stats).p999Nanos());
            timeGauge(name + ".max", Tags.empty(), "Longest time " + what + " since the pool started",
                    stats -> of.apply(stats).maxNanos());
            counter(name + ".count", Tags.empty(), "Tasks whose time " + what + " was recorded",
                    stats -> of.apply(stats).count());
        }

        private void counter(String name, Tags extra, String description, ToLongFunction<PoolStats> figure) {
            meters.add(FunctionCounter.builder(name, observed, read(stats -> figure.applyAsLong(stats)))
                    .tags(tags.and(extra)).description(description).register(registry));
        }

        private void gauge(String name, Tags extra, String description, String baseUnit,
                ToDoubleFunction<PoolStats> figure) {
            meters.add(Gauge.builder(name, observed, read(figure)).tags(tags.and(extra)).description(description)
                    .baseUnit(baseUnit).register(registry));
        }

        private void timeGauge(String name, Tags extra, String description, ToDoubleFunction<PoolStats> nanos) {
            meters.add(TimeGauge.builder(name, observed, TimeUnit.NANOSECONDS, read(nanos)).tags(tags.and(extra))
                    .description(description).register(registry));
        }

        /** A figure of the shared snapshot, as Micrometer asks for it: from the pool it holds weakly. */
        private ToDoubleFunction<WorkerPool> read(ToDoubleFunction<PoolStats> figure) {
            Snapshots shared = snapshots;
            return observedPool -> figure.applyAsDouble(shared.of(observedPool));
        }
    }
}
