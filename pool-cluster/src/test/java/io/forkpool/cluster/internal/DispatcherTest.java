package io.forkpool.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import io.forkpool.ProgressListener;
import io.forkpool.cluster.MemberLostException;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.lang.reflect.Proxy;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The dispatcher's decisions, with members that are plain objects and a transport that only records. */
class DispatcherTest {

    private final List<Chunk> sent = new ArrayList<>();
    private final List<Long> cancelled = new ArrayList<>();
    private final ClusterCounters counters = new ClusterCounters(false);
    private final Dispatcher dispatcher = new Dispatcher("test", counters, new Dispatcher.Transport() {
        @Override
        public void send(Chunk chunk) {
            sent.add(chunk);
        }

        @Override
        public void cancel(MemberState member, long[] chunkIds) {
            for (long id : chunkIds) {
                cancelled.add(id);
            }
        }

        @Override
        public void later(Runnable task, long nanos) {
            // the tests pump by hand
        }
    });
    private final ClientTaskType type = new ClientTaskTypes(
            io.forkpool.internal.protocol.Messages.newDataMapper(1 << 20), 1 << 20).of(CountPrimes.class);

    @Test
    void aMemberGetsAtMostTwoChunksSizedByItsWorkers() {
        Member small = member(5701, 1);
        Member large = member(5702, 4);
        dispatcher.memberAdded(small);
        dispatcher.memberAdded(large);

        dispatcher.submit(job(10_000, 3));

        assertThat(sent).hasSize(4);
        assertThat(sent.stream().filter(c -> c.member.member == small)).hasSize(2);
        assertThat(sent.stream().filter(c -> c.member.member == large)).hasSize(2);
        // Both idle: the larger first. Inputs per worker = queued / (4 × 5 workers), recomputed for
        // each chunk: 10,000/20 = 500 (×4), 8,000/20 = 400 (×1), 7,600/20 = 380 (×4), 6,080/20 = 304 (×1).
        assertThat(sent).extracting(c -> c.member.member).containsExactly(large, small, large, small);
        assertThat(sent).extracting(Chunk::size).containsExactly(2000, 400, 1520, 304);
        assertThat(sent.get(0).from).isZero();
        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i).from).isEqualTo(sent.get(i - 1).to); // in input order, nothing skipped
        }
    }

    @Test
    void theNextChunkGoesOutOnlyWhenOneComesBackAndChunksShrinkTowardsTheEnd() {
        dispatcher.memberAdded(member(5701, 2));
        dispatcher.submit(job(100, 3));
        assertThat(sent).extracting(Chunk::size).containsExactly(24, 18); // 100/8=12 ×2, then 76/8=9 ×2

        assertThat(dispatcher.answered(sent.get(0), 2, true)).isTrue();
        dispatcher.pump();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).size()).isEqualTo(14); // 58/8 = 7 per worker
        assertThat(dispatcher.queuedInputs()).isEqualTo(100 - 24 - 18 - 14);
    }

    @Test
    void aLostChunkRunsAgainFirstWithItsNextAttempt() {
        Member dying = member(5701, 1);
        Member healthy = member(5702, 1);
        dispatcher.memberAdded(dying);
        dispatcher.memberAdded(healthy);
        Job job = job(1000, 3);
        dispatcher.submit(job);
        Chunk lost = sent.stream().filter(c -> c.member.member == dying).findFirst().orElseThrow();
        Chunk done = sent.stream().filter(c -> c.member.member == healthy).findFirst().orElseThrow();

        dispatcher.memberRemoved(dying, Long.MAX_VALUE);
        dispatcher.lost(lost, "killed", true);
        assertThat(dispatcher.answered(lost, 1, true)).as("a lost chunk's late answer").isFalse();
        dispatcher.answered(done, 1, true);
        dispatcher.pump();

        Chunk again = sent.get(sent.size() - 1);
        assertThat(again.member.member).isSameAs(healthy);
        assertThat(again.from).isEqualTo(lost.from);
        assertThat(again.attempt).isEqualTo(2);
        assertThat(counters.retried.sum()).isEqualTo(lost.size());
        Map<String, Long> lostByMember = new java.util.HashMap<>();
        dispatcher.members().forEach(m -> lostByMember.put(m.address(), m.tasksLost()));
        assertThat(lostByMember).containsEntry("127.0.0.1:5701", (long) lost.size()).containsEntry("127.0.0.1:5702", 0L);
    }

    @Test
    void aChunkThatWasNeverSentKeepsItsAttempt() {
        dispatcher.memberAdded(member(5701, 1));
        dispatcher.submit(job(10, 1));
        Chunk refused = sent.get(0);

        dispatcher.lost(refused, "not connected yet", false);
        dispatcher.answered(sent.get(1), 1, true);
        dispatcher.pump(); // the member is paused after a failure; a paused member gets nothing yet

        assertThat(counters.retried.sum()).isZero();
        assertThat(dispatcher.members().get(0).tasksLost()).isZero();
        assertThat(dispatcher.queuedInputs()).isEqualTo(10 - sent.get(1).size());
    }

    @Test
    void notAMemberMeansNeverSentOnlyUntilTheMemberHasAnswered() {
        Member reached = member(5701, 1);
        Member fresh = member(5702, 1);
        dispatcher.memberAdded(reached);
        dispatcher.memberAdded(fresh);
        dispatcher.submit(job(10_000, 3));
        List<Chunk> onReached = sent.stream().filter(c -> c.member.member == reached).toList();
        Chunk onFresh = sent.stream().filter(c -> c.member.member == fresh).findFirst().orElseThrow();

        dispatcher.notAMember(onFresh, "not connected yet");
        assertThat(counters.retried.sum()).as("retried before the member answered").isZero();

        dispatcher.answered(onReached.get(0), 1, true);
        dispatcher.memberRemoved(reached, Long.MAX_VALUE);
        dispatcher.notAMember(onReached.get(1), "left while running it");

        assertThat(counters.retried.sum()).isEqualTo(onReached.get(1).size());
        Map<String, Long> lostByMember = new java.util.HashMap<>();
        dispatcher.members().forEach(m -> lostByMember.put(m.address(), m.tasksLost()));
        assertThat(lostByMember).containsEntry("127.0.0.1:5701", (long) onReached.get(1).size())
                .containsEntry("127.0.0.1:5702", 0L);
    }

    @Test
    void losingAChunkOnItsLastAttemptFailsTheJobAndDropsItsQueuedInputs() throws Exception {
        dispatcher.memberAdded(member(5701, 1));
        dispatcher.memberAdded(member(5702, 1));
        Job job = job(1000, 1);
        dispatcher.submit(job);

        dispatcher.lost(sent.get(0), "killed", true);

        assertThat(job.future).isCompletedExceptionally();
        try {
            job.future.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(MemberLostException.class)
                    .hasMessageContaining("lost with cluster member 127.0.0.1:")
                    .hasMessageContaining("on attempt 1 of 1");
        }
        assertThat(dispatcher.queuedInputs()).isZero();
        assertThat(cancelled).containsExactlyInAnyOrderElementsOf(
                sent.subList(1, sent.size()).stream().map(c -> c.id).toList());
        assertThat(counters.failed.sum() + counters.cancelled.sum()).isEqualTo(1000);
    }

    @Test
    void aJobItsCallerCompletesFromOutsideIsCancelledAndItsChunksCalledBack() {
        Job job = submittedWithTwoChunks();

        assertThat(job.future.complete(List.of())).isTrue(); // as completeOnTimeout does

        assertCancelledWhole(job);
    }

    @Test
    void aJobItsCallerTimesOutWithOrTimeoutIsCancelledAndItsChunksCalledBack() {
        Job job = submittedWithTwoChunks();

        assertThat(job.future.completeExceptionally(new java.util.concurrent.TimeoutException())).isTrue(); // as orTimeout does

        assertCancelledWhole(job);
    }

    @Test
    void aJobThatEndsItselfIsNotCancelledAgain() {
        Job job = submittedWithTwoChunks();

        assertThat(job.fail(new IllegalStateException("boom"), true)).isTrue();

        assertThat(cancelled).isEmpty(); // the dispatcher, not the completion callback, deals with a failure
        assertThat(counters.failed.sum()).isEqualTo(1);
        assertThat(counters.cancelled.sum()).isEqualTo(99);
    }

    /** A job of 100 inputs, wired as the pool wires one, with its first two chunks sent to a member of two workers. */
    private Job submittedWithTwoChunks() {
        dispatcher.memberAdded(member(5701, 2));
        Job job = job(100, 3);
        job.onCompletion(dispatcher::dropJob, () -> { });
        dispatcher.submit(job);
        assertThat(sent).hasSize(2);
        return job;
    }

    private void assertCancelledWhole(Job job) {
        assertThat(job.isDone()).isTrue();
        assertThat(counters.cancelled.sum()).isEqualTo(100);
        assertThat(counters.failed.sum()).isZero();
        assertThat(cancelled).containsExactlyInAnyOrderElementsOf(sent.stream().map(c -> c.id).toList());
        assertThat(dispatcher.queuedInputs()).isZero();
    }

    @Test
    void membersWithoutForkpoolGetNothing() {
        dispatcher.memberAdded(member(5701, -1));
        dispatcher.submit(job(10, 3));
        assertThat(sent).isEmpty();
        assertThat(dispatcher.hasMembers()).isFalse();
    }

    private Job job(int inputs, int attempts) {
        byte[][] encoded = new byte[inputs][];
        for (int i = 0; i < inputs; i++) {
            encoded[i] = type.encode(new Range(i, i + 1));
        }
        return new Job(1, type, encoded, attempts, 0, false, null, ProgressListener.NONE, counters);
    }

    /** A member as the client sees it: an address, an id and, unless {@code workers < 0}, forkpool's attribute. */
    private static Member member(int port, int workers) {
        UUID uuid = UUID.randomUUID();
        Address address;
        try {
            address = new Address("127.0.0.1", port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return (Member) Proxy.newProxyInstance(Member.class.getClassLoader(), new Class<?>[] {Member.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getUuid" -> uuid;
                    case "getAddress" -> address;
                    case "getAttribute" -> workers < 0 ? null : Integer.toString(workers);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "member " + port;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
