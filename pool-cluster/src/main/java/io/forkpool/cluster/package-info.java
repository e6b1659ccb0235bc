/**
 * forkpool over a Hazelcast cluster: {@link io.forkpool.cluster.ClusterPool} is a
 * {@link io.forkpool.WorkerPool} whose tasks run on the cluster's members, each member in its own
 * local pool of worker JVMs started by {@link io.forkpool.cluster.ForkpoolNode}. No Hazelcast type
 * appears in this package's API. Everything under {@code io.forkpool.cluster.internal} may change
 * without notice.
 */
package io.forkpool.cluster;
