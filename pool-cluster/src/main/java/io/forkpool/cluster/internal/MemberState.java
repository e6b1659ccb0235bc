package io.forkpool.cluster.internal;

import com.hazelcast.cluster.Member;
import io.forkpool.cluster.MemberStats;
import java.util.HashSet;
import java.util.Set;

/** What the dispatcher knows of one forkpool member; every field but the constants is guarded by the dispatcher's lock. */
final class MemberState {

    final Member member;
    final String address;
    int workers;
    boolean present = true;
    /** Until when it gets no new chunk: it failed to answer one but has not left (yet). */
    long pausedUntilNanos;
    final Set<Chunk> chunks = new HashSet<>();
    long inputsInFlight;
    long tasksCompleted;
    long chunksCompleted;
    long tasksLost;
    /** Whether it has answered a chunk: the client has reached it, so a chunk sent since may have run. */
    boolean answeredOnce;

    MemberState(Member member, int workers) {
        this.member = member;
        this.address = member.getAddress().getHost() + ":" + member.getAddress().getPort();
        this.workers = workers;
    }

    MemberStats stats() {
        return new MemberStats(address, member.getUuid().toString(), workers, tasksCompleted, chunksCompleted,
                inputsInFlight, tasksLost, present);
    }
}
