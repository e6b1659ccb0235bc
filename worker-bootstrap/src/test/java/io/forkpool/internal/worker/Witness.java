package io.forkpool.internal.worker;

import io.forkpool.Task;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test task that says where and when it ran: it returns the name of the thread it runs on, and
 * records how many replies the worker had written by the time it started ({@link #REPLIES_WRITTEN},
 * kept by the test's channel). A negative input makes it interrupt its own thread before it
 * returns. Tests that use it call {@link #reset} first.
 */
public final class Witness implements Task<Integer, String> {

    /** Replies (RESULT or FAILURE frames) the worker has written so far; the test's channel counts them. */
    static final AtomicInteger REPLIES_WRITTEN = new AtomicInteger();
    /** {@link #REPLIES_WRITTEN} as each run found it, in the order they ran. */
    static final List<Integer> SEEN = new CopyOnWriteArrayList<>();

    static void reset() {
        REPLIES_WRITTEN.set(0);
        SEEN.clear();
    }

    @Override
    public String execute(Integer input) {
        SEEN.add(REPLIES_WRITTEN.get());
        if (input < 0) {
            Thread.currentThread().interrupt();
        }
        return Thread.currentThread().getName();
    }
}
