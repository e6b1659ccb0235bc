package io.forkpool.cluster;

import com.hazelcast.client.config.ClientConfig;
import io.forkpool.PoolOptions;
import io.forkpool.cluster.internal.ClusterSettings;
import io.forkpool.cluster.internal.ClusterWorkerPool;
import io.forkpool.cluster.internal.NodeArguments;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Configures a {@link ClusterPool}. Only {@link #members} is required.
 *
 * <pre>{@code
 * try (ClusterPool pool = ClusterPool.builder().members("10.0.0.1:5701", "10.0.0.2:5701").build()) {
 *     List<Long> counts = pool.invokeAll(CountPrimes.class, ranges);
 * }
 * }</pre>
 */
public final class ClusterPoolBuilder {

    private String name = "cluster";
    private String clusterName = "forkpool";
    private List<String> members = List.of();
    private int maxAttempts = 3;
    private Duration taskTimeout;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private int maxDocumentBytes = 64 << 20;
    private boolean recordLatencies = true;
    private Consumer<ClientConfig> hazelcast = config -> { };

    ClusterPoolBuilder() {
    }

    /**
     * Adjusts the Hazelcast client's configuration after forkpool has set it up, just before it
     * connects: the place for TLS and credentials with Hazelcast Enterprise ({@code docs/CLUSTER.md}
     * shows how). Changing what forkpool set (addresses, cluster name, reconnection,
     * serialization) voids its guarantees.
     *
     * @param adjust called once with the configuration
     * @return this builder
     */
    public ClusterPoolBuilder hazelcast(Consumer<ClientConfig> adjust) {
        this.hazelcast = Objects.requireNonNull(adjust, "adjust");
        return this;
    }

    /**
     * Sets the members to reach the cluster through, {@code host:port} each; the client then
     * learns of every other member from them. Required.
     *
     * @param addresses one or more addresses
     * @return this builder
     * @throws IllegalArgumentException if an address is not {@code host:port}
     */
    public ClusterPoolBuilder members(String... addresses) {
        this.members = NodeArguments.addresses(String.join(",", addresses));
        return this;
    }

    /**
     * Names the pool in log lines and stats. Default: {@code cluster}.
     *
     * @param name a non-blank name
     * @return this builder
     */
    public ClusterPoolBuilder name(String name) {
        this.name = nonBlank(name, "name");
        return this;
    }

    /**
     * Sets the cluster's name, as given to its nodes. Default: {@code forkpool}.
     *
     * @param clusterName a non-blank name
     * @return this builder
     */
    public ClusterPoolBuilder clusterName(String clusterName) {
        this.clusterName = nonBlank(clusterName, "clusterName");
        return this;
    }

    /**
     * Sets how many times in total a task may run: each member that dies or drops out while it
     * holds the task uses one attempt, and the member's local pool may use the rest on worker
     * crashes, as {@link io.forkpool.WorkerPoolBuilder#maxAttempts} describes. Default: 3. Override
     * per task with {@link io.forkpool.TaskOptions}.
     *
     * @param attempts from 1 to 100
     * @return this builder
     */
    public ClusterPoolBuilder maxAttempts(int attempts) {
        if (attempts < 1 || attempts > PoolOptions.MAX_ATTEMPTS) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and " + PoolOptions.MAX_ATTEMPTS
                    + ", got " + attempts);
        }
        this.maxAttempts = attempts;
        return this;
    }

    /**
     * Sets how long one attempt of a task may run in a worker, enforced by the member's local pool
     * as {@link io.forkpool.WorkerPoolBuilder#taskTimeout} describes. Default: none.
     *
     * @param timeout a positive duration, or {@code null} for none
     * @return this builder
     */
    public ClusterPoolBuilder taskTimeout(Duration timeout) {
        this.taskTimeout = positiveOrNull(timeout, "taskTimeout");
        return this;
    }

    /**
     * Sets how long to keep trying to reach the cluster: when building, and again each time the
     * client loses every member. Past it the pool fails and its tasks complete with a
     * {@link io.forkpool.PoolFailedException}. Default: 30 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public ClusterPoolBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(positiveOrNull(timeout, "connectTimeout"), "connectTimeout");
        return this;
    }

    /**
     * Sets how long {@link ClusterPool#close()} waits for outstanding tasks before cancelling them.
     * Default: 30 seconds.
     *
     * @param timeout zero or a positive duration
     * @return this builder
     */
    public ClusterPoolBuilder closeTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must be zero or positive, got " + timeout);
        }
        this.closeTimeout = timeout;
        return this;
    }

    /**
     * Sets the longest encoded input or output, in bytes; larger ones are refused on the side that
     * encodes them. Default: 64 MiB, as {@link io.forkpool.WorkerPoolBuilder#maxFrameLength}.
     *
     * @param bytes from 1 KiB to 1 GiB
     * @return this builder
     */
    public ClusterPoolBuilder maxDocumentBytes(int bytes) {
        if (bytes < PoolOptions.MIN_FRAME_LENGTH || bytes > PoolOptions.MAX_FRAME_LENGTH_LIMIT) {
            throw new IllegalArgumentException("maxDocumentBytes must be between " + PoolOptions.MIN_FRAME_LENGTH
                    + " and " + PoolOptions.MAX_FRAME_LENGTH_LIMIT + ", got " + bytes);
        }
        this.maxDocumentBytes = bytes;
        return this;
    }

    /**
     * Whether the pool records latencies for its stats, as
     * {@link io.forkpool.WorkerPoolBuilder#recordLatencies}. Default: true.
     *
     * @param record whether to record them
     * @return this builder
     */
    public ClusterPoolBuilder recordLatencies(boolean record) {
        this.recordLatencies = record;
        return this;
    }

    /**
     * Connects to the cluster as a Hazelcast client and returns once at least one forkpool node is
     * a member. Blocks for at most the connect timeout.
     *
     * @return a running pool
     * @throws IllegalArgumentException if no member address was given
     * @throws io.forkpool.PoolStartupException if no forkpool node could be reached in time
     */
    public ClusterPool build() {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no cluster member given: call members(\"host:port\", ...)");
        }
        return new ClusterWorkerPool(new ClusterSettings(name, clusterName, members, maxAttempts, taskTimeout,
                connectTimeout, closeTimeout, maxDocumentBytes, recordLatencies, hazelcast));
    }

    private static String nonBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    private static Duration positiveOrNull(Duration timeout, String what) {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException(what + " must be positive, got " + timeout);
        }
        return timeout;
    }
}
