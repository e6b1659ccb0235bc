package io.forkpool.cluster.internal;

import com.hazelcast.cluster.Member;
import io.forkpool.cluster.MemberLostException;
import io.forkpool.cluster.MemberStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's queue of unsent inputs and its view of the members, and the one place that decides
 * which member gets which inputs.
 *
 * <p><b>Pull by free capacity.</b> A member holds at most {@link #CHUNKS_PER_MEMBER} chunks; when
 * one comes back, the member gets the next. A chunk holds {@code perWorker × workers} inputs, so
 * members take work in proportion to their worker count, and the second chunk waits in the
 * member's local queue while the first runs, so no worker idles for a network round trip.
 * {@code perWorker} is guided self-scheduling (Polychronopoulos and Kuck, 1987): the inputs still
 * queued divided by four times the cluster's workers, between 1 and {@link #MAX_PER_WORKER}, so
 * chunks are large while much is left and shrink to one input per worker at the end, where
 * members should finish together; but never smaller than what keeps a member busy for
 * {@link ClientTaskType#CHUNK_BUDGET_NANOS} by the task's measured time, so tiny tasks do not
 * end a batch in a trickle of chunks that each cost a network round trip.
 *
 * <p><b>Losses.</b> A chunk whose member left, or which could not be delivered or answered, goes
 * back to the front of the queue with its next attempt; a chunk on its last attempt fails its job
 * with a {@link MemberLostException}.
 *
 * <p>One lock guards the queue and the members; it is held for bookkeeping only, never while a
 * message is sent or an output decoded.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.cluster");

    static final int CHUNKS_PER_MEMBER = 2;
    static final int MAX_PER_WORKER = 1024;
    /** Chunks stop growing at this many input bytes, to keep each message small against Hazelcast's. */
    static final long MAX_CHUNK_BYTES = 8L << 20;
    /** How long a member that failed to answer, but has not left, gets no new chunk. */
    static final long PAUSE_NANOS = 500_000_000L;

    /** What sends chunks and cancellations; implemented over Hazelcast by the pool. */
    interface Transport {
        void send(Chunk chunk);

        void cancel(MemberState member, long[] chunkIds);

        /** Runs {@code task} on the dispatcher's timer after {@code nanos}. */
        void later(Runnable task, long nanos);
    }

    /** Inputs {@code [from, to)} of a job waiting for a member. */
    private record Work(Job job, int from, int to, int attempt) {
        int size() {
            return to - from;
        }
    }

    private final Object lock = new Object();
    private final ArrayDeque<Work> queue = new ArrayDeque<>();
    private long queuedInputs; // guarded by lock
    private final Map<UUID, MemberState> members = new LinkedHashMap<>(); // guarded by lock
    private final AtomicLong chunkIds = new AtomicLong();
    private final ClusterCounters counters;
    private final Transport transport;
    private final String poolName;

    Dispatcher(String poolName, ClusterCounters counters, Transport transport) {
        this.poolName = poolName;
        this.counters = counters;
        this.transport = transport;
    }

    /** Queues a job's inputs behind the others. */
    void submit(Job job) {
        synchronized (lock) {
            queue.addLast(new Work(job, 0, job.size(), 1));
            queuedInputs += job.size();
        }
        pump();
    }

    /** A member joined, or was there when the client connected; members without forkpool get nothing. */
    void memberAdded(Member member) {
        String workers = member.getAttribute(HazelcastSettings.WORKERS_ATTRIBUTE);
        if (workers == null) {
            return;
        }
        int count;
        try {
            count = Integer.parseInt(workers);
        } catch (NumberFormatException e) {
            LOG.warn("pool {}: member {} advertises {} workers; ignoring it", poolName, member, workers);
            return;
        }
        synchronized (lock) {
            members.putIfAbsent(member.getUuid(), new MemberState(member, Math.max(1, count)));
        }
        LOG.info("pool {}: member {} with {} workers joins", poolName, member.getAddress(), count);
        pump();
    }

    /**
     * A member left the cluster. Its chunks normally fail on their own as its connection closes;
     * any that has not a while later is settled as lost here, so no chunk waits on a gone member.
     */
    void memberRemoved(Member member, long graceNanos) {
        MemberState state;
        synchronized (lock) {
            state = members.get(member.getUuid());
            if (state == null) {
                return;
            }
            state.present = false;
        }
        LOG.warn("pool {}: member {} left the cluster", poolName, state.address);
        transport.later(() -> {
            List<Chunk> stranded;
            synchronized (lock) {
                stranded = new ArrayList<>(state.chunks);
            }
            stranded.forEach(chunk -> lost(chunk, "member " + state.address + " left the cluster", true));
        }, graceNanos);
    }

    /** @return whether some forkpool member is present */
    boolean hasMembers() {
        synchronized (lock) {
            return members.values().stream().anyMatch(m -> m.present);
        }
    }

    /** Hands chunks to members while some member has room and inputs wait; sends outside the lock. */
    void pump() {
        List<Chunk> ready = new ArrayList<>();
        synchronized (lock) {
            long now = System.nanoTime();
            while (!queue.isEmpty()) {
                Work work = queue.peekFirst();
                if (work.job.isDone()) {
                    queue.pollFirst();
                    queuedInputs -= work.size();
                    continue;
                }
                MemberState member = pick(now);
                if (member == null) {
                    break;
                }
                ready.add(take(work, member));
            }
        }
        ready.forEach(transport::send);
    }

    /** The member with room that holds the fewest chunks, the larger one on a tie; or null. */
    private MemberState pick(long now) {
        MemberState best = null;
        for (MemberState member : members.values()) {
            if (!member.present || member.chunks.size() >= CHUNKS_PER_MEMBER || now - member.pausedUntilNanos < 0) {
                continue;
            }
            if (best == null || member.chunks.size() < best.chunks.size()
                    || member.chunks.size() == best.chunks.size() && member.workers > best.workers) {
                best = member;
            }
        }
        return best;
    }

    /** Cuts the next chunk for a member from the head of the queue. */
    private Chunk take(Work work, MemberState member) {
        int clusterWorkers = 0;
        for (MemberState m : members.values()) {
            if (m.present) {
                clusterWorkers += m.workers;
            }
        }
        long guided = queuedInputs / (4L * Math.max(1, clusterWorkers));
        long perWorker = Math.max(work.job.type.minPerWorker(), Math.min(MAX_PER_WORKER, guided));
        int size = (int) Math.min(work.size(), perWorker * member.workers);
        long bytes = 0;
        for (int i = 0; i < size; i++) {
            bytes += work.job.inputs[work.from + i].length;
            if (bytes > MAX_CHUNK_BYTES && i > 0) {
                size = i;
                break;
            }
        }
        queue.pollFirst();
        if (size < work.size()) {
            queue.addFirst(new Work(work.job, work.from + size, work.to, work.attempt));
        }
        queuedInputs -= size;
        Chunk chunk = new Chunk(chunkIds.incrementAndGet(), work.job, work.from, work.from + size, work.attempt, member);
        member.chunks.add(chunk);
        member.inputsInFlight += size;
        work.job.inFlight.add(chunk);
        return chunk;
    }

    /**
     * A member answered a chunk.
     *
     * @param completed whether the answer completes its inputs (outputs or a failure), rather than
     *     confirming a cancellation the client asked for
     * @return whether this call settled it (a chunk already settled as lost is ignored)
     */
    boolean answered(Chunk chunk, int workersAlive, boolean completed) {
        if (!chunk.settle()) {
            return false;
        }
        synchronized (lock) {
            release(chunk);
            chunk.member.answeredOnce = true;
            if (completed) {
                chunk.member.tasksCompleted += chunk.size();
                chunk.member.chunksCompleted++;
            }
            if (workersAlive > 0) {
                chunk.member.workers = workersAlive;
            }
        }
        return true;
    }

    /**
     * A chunk's member left, failed to answer, or could not take it: its inputs go back to the
     * front of the queue with their next attempt, or fail their job on the last. A chunk that
     * never reached its member ({@code mayHaveRun} false: Hazelcast refused to send it, as it
     * does for a member it has not connected to yet) goes back with the same attempt.
     */
    void lost(Chunk chunk, String why, boolean mayHaveRun) {
        if (!chunk.settle()) {
            return;
        }
        Job job = chunk.job;
        boolean retry;
        synchronized (lock) {
            release(chunk);
            if (mayHaveRun) {
                chunk.member.tasksLost += chunk.size();
            }
            if (chunk.member.present) {
                chunk.member.pausedUntilNanos = System.nanoTime() + PAUSE_NANOS;
                transport.later(this::pump, PAUSE_NANOS);
            }
            retry = !job.isDone() && (!mayHaveRun || chunk.attempt < job.maxAttempts);
            if (retry) {
                queue.addFirst(new Work(job, chunk.from, chunk.to, mayHaveRun ? chunk.attempt + 1 : chunk.attempt));
                queuedInputs += chunk.size();
            }
        }
        if (retry && !mayHaveRun) {
            LOG.debug("pool {}: {} not sent: {}; queued again", poolName, chunk, why);
        } else if (retry) {
            counters.retried.add(chunk.size());
            LOG.warn("pool {}: {} lost: {}; running it again (attempt {} of {})", poolName, chunk, why,
                    chunk.attempt + 1, job.maxAttempts);
        } else if (!job.isDone()) {
            job.fail(new MemberLostException(job.id, job.type.name, job.single ? -1 : chunk.from, chunk.member.address,
                    chunk.attempt, why), true);
            dropJob(job);
        }
        pump();
    }

    /**
     * Hazelcast said a chunk's member is not a member. Before the client has reached a member (it
     * joined a moment ago) that means the chunk was never sent; after, the member left while the
     * chunk was sent or running, so it may have run and costs an attempt like any other loss.
     */
    void notAMember(Chunk chunk, String why) {
        boolean reached;
        synchronized (lock) {
            reached = chunk.member.answeredOnce;
        }
        lost(chunk, why, reached);
    }

    private void release(Chunk chunk) {
        chunk.member.chunks.remove(chunk);
        chunk.member.inputsInFlight -= chunk.size();
        chunk.job.inFlight.remove(chunk);
    }

    /** Forgets an ended job's queued inputs and asks members to cancel its chunks. */
    void dropJob(Job job) {
        Map<MemberState, List<Long>> cancels = new HashMap<>();
        synchronized (lock) {
            for (Iterator<Work> it = queue.iterator(); it.hasNext(); ) {
                Work work = it.next();
                if (work.job == job) {
                    it.remove();
                    queuedInputs -= work.size();
                }
            }
            for (Chunk chunk : job.inFlight) {
                cancels.computeIfAbsent(chunk.member, m -> new ArrayList<>()).add(chunk.id);
            }
        }
        cancels.forEach((member, ids) -> transport.cancel(member, ids.stream().mapToLong(Long::longValue).toArray()));
    }

    long queuedInputs() {
        synchronized (lock) {
            return queuedInputs;
        }
    }

    List<MemberStats> members() {
        synchronized (lock) {
            return members.values().stream().map(MemberState::stats).toList();
        }
    }
}
