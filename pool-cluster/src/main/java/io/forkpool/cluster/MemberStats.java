package io.forkpool.cluster;

/**
 * What a {@link ClusterPool} has seen of one cluster member.
 *
 * @param address the member's address, {@code host:port}
 * @param uuid the member's Hazelcast identity; a restarted member has a new one
 * @param workers the worker JVMs its local pool runs, as it last reported
 * @param tasksCompleted inputs whose outputs (or failures) it delivered to this client
 * @param chunksCompleted chunks it answered
 * @param tasksInFlight inputs it holds now
 * @param tasksLost inputs it held when it left or failed to answer, each run again elsewhere or failed
 * @param present whether it is still a member of the cluster
 */
public record MemberStats(String address, String uuid, int workers, long tasksCompleted, long chunksCompleted,
        long tasksInFlight, long tasksLost, boolean present) {
}
