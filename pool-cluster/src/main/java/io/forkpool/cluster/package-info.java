/**
 * forkpool over a Hazelcast cluster: {@link io.forkpool.cluster.ClusterPool} is a
 * {@link io.forkpool.WorkerPool} whose tasks run on the cluster's members, each member in its own
 * local pool of worker JVMs started by {@link io.forkpool.cluster.ForkpoolNode}. Hazelcast types
 * appear in this package's API only in the two configuration hooks
 * ({@link io.forkpool.cluster.ForkpoolNode.Builder#hazelcast},
 * {@link io.forkpool.cluster.ClusterPoolBuilder#hazelcast}); tasks, inputs, outputs, stats and
 * exceptions are forkpool's own. Everything under {@code io.forkpool.cluster.internal} may change
 * without notice.
 */
package io.forkpool.cluster;
