package io.forkpool.runtime.internal.fake;

import java.util.List;
import java.util.stream.LongStream;

/** Tasks written as public static methods, for pools of {@link FakeWorker}s. */
public final class FakeMethods {

    private FakeMethods() {
    }

    /**
     * @param input anything
     * @return it
     */
    public static String echo(String input) {
        return input;
    }

    /**
     * @param n how many
     * @return the squares of 0 to n - 1, small numbers that decode as {@code Long} only because
     *     the declared type says so
     */
    public static List<Long> squares(int n) {
        return LongStream.range(0, n).map(i -> i * i).boxed().toList();
    }

    /**
     * Arrives at the gate named by its input and waits there; a cancellation interrupts the wait.
     *
     * @param gate the gate's name
     * @return the gate's name
     * @throws InterruptedException when cancelled
     */
    public static String awaitGate(String gate) throws InterruptedException {
        Gates.named(gate).pass(true);
        return gate;
    }

    /**
     * @param n a number
     * @return it, unless it is negative
     */
    public static int refuseNegative(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative: " + n);
        }
        return n;
    }
}
