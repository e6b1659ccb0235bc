package io.forkpool.cluster.internal;

import com.hazelcast.client.config.ClientConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A cluster pool's validated settings; see {@link io.forkpool.cluster.ClusterPoolBuilder} for each.
 *
 * @param name the pool's name
 * @param clusterName the cluster's name
 * @param members addresses to reach the cluster through
 * @param maxAttempts attempts per task, member losses and worker crashes together
 * @param taskTimeout the per-attempt timeout, or {@code null}
 * @param connectTimeout how long to try reaching the cluster
 * @param closeTimeout how long a graceful close waits for outstanding tasks
 * @param maxDocumentBytes the longest encoded input or output accepted
 * @param recordLatencies whether latencies are recorded
 * @param hazelcast adjusts the client's Hazelcast configuration last
 */
public record ClusterSettings(String name, String clusterName, List<String> members, int maxAttempts,
        Duration taskTimeout, Duration connectTimeout, Duration closeTimeout, int maxDocumentBytes,
        boolean recordLatencies, Consumer<ClientConfig> hazelcast) {
}
