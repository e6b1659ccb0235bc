package io.forkpool.cluster.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Inputs {@code [from, to)} of one {@link Job}, sent to one member as one {@link RunChunk}. It is
 * settled exactly once, by its reply or by its loss, whichever comes first; the other is ignored.
 */
final class Chunk {

    final long id;
    final Job job;
    final int from;
    final int to;
    /** Which attempt of its inputs this is, from 1. */
    final int attempt;
    final MemberState member;
    final long sentNanos = System.nanoTime();
    private final AtomicBoolean settled = new AtomicBoolean();

    Chunk(long id, Job job, int from, int to, int attempt, MemberState member) {
        this.id = id;
        this.job = job;
        this.from = from;
        this.to = to;
        this.attempt = attempt;
        this.member = member;
    }

    int size() {
        return to - from;
    }

    /** @return true for the one caller that settles it */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "chunk " + id + " (" + job + ", inputs " + from + ".." + (to - 1) + ", attempt " + attempt + ", on "
                + member.address + ")";
    }
}
