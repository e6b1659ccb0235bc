package io.forkpool.cluster;

import io.forkpool.WorkerPool;
import java.util.List;

/**
 * A {@link WorkerPool} whose tasks run on the members of a Hazelcast cluster, each member in its
 * own local pool of worker JVMs ({@link ForkpoolNode}). The calling JVM joins as a Hazelcast
 * <em>client</em>: it owns no cluster data and runs no task, and its own queue, attempts and
 * futures live only in it.
 *
 * <p>Everything {@link WorkerPool} promises holds, with these additions:
 * <ul>
 *   <li><b>Work is pulled by free capacity.</b> Each member holds at most two chunks of a
 *       batch at a time, each sized by the member's worker count, and gets the next chunk only
 *       when one comes back; a member with eight times the workers takes about eight times the
 *       inputs.</li>
 *   <li><b>A member that dies</b> (killed, crashed, disconnected) loses its chunks, not their
 *       inputs: each is queued again and runs elsewhere, and this counts as one of the task's
 *       attempts; a task whose attempts are all used up that way fails with a
 *       {@link MemberLostException}. An output is delivered at most once, so a batch's result is
 *       exact.</li>
 *   <li><b>A member that joins</b> receives work as soon as the client sees it, also in the middle
 *       of a batch.</li>
 *   <li><b>Failures keep their types</b>: a task that throws, times out, or kills worker after worker
 *       fails with the same {@link io.forkpool.TaskFailedException},
 *       {@link io.forkpool.TaskTimeoutException}, {@link io.forkpool.WorkerCrashedException} or
 *       {@link io.forkpool.PoisonTaskException} as on one machine, with the member's worker id and
 *       pid, and with a {@link RemoteOrigin} as its cause that names the member.</li>
 * </ul>
 *
 * <p>{@link #stats()} counts tasks as this client sees them: {@code retried} counts inputs run
 * again after their member was lost (worker crashes inside a member are retried, and counted, by
 * that member's own pool). Its latencies are per input, with every input of a chunk given its
 * chunk's figures: queue wait from submission until the chunk was sent, execution the chunk's
 * time on its member divided by its inputs (the member's own queueing included), round trip from
 * submission until the chunk's reply. It lists no workers and no worker exits: they belong to
 * the members (see {@link #members()}, and each member's own stats and JMX bean).
 */
public interface ClusterPool extends WorkerPool {

    /**
     * Starts configuring a connection to a cluster; see {@link ClusterPoolBuilder}.
     *
     * @return a new builder
     */
    static ClusterPoolBuilder builder() {
        return new ClusterPoolBuilder();
    }

    /**
     * What this client has seen of each forkpool member since it connected, members that left
     * included, in the order they were first seen.
     *
     * @return one entry per member
     */
    List<MemberStats> members();
}
