package io.forkpool.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition the code under test makes true, by polling it with a deadline: for the
 * signals a pool gives through its public API (a stats counter, a state), where a {@link Gate}
 * does not apply. Never a guess: the wait ends when the condition holds, and fails when it does
 * not hold in time.
 */
public final class Await {

    private static final long POLL_MILLIS = 5;

    private Await() {
    }

    /**
     * Polls {@code condition} every few milliseconds until it holds.
     *
     * @param what what the condition means, for the failure message
     * @param timeout how long it has to hold
     * @param condition the condition; called from this thread
     * @throws AssertionError if it did not hold within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
