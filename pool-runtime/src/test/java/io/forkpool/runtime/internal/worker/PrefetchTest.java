package io.forkpool.runtime.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PrefetchTest {

    @Test
    void aFixedDepthIsNeverExceededAndRefillsAtHalf() {
        Prefetch prefetch = new Prefetch(4);
        assertThat(prefetch.room()).isEqualTo(4);
        prefetch.took(4);
        assertThat(prefetch.room()).isZero();
        prefetch.answered(1_000);
        assertThat(prefetch.room()).isEqualTo(1);
        for (int i = 0; i < 100; i++) {
            prefetch.answered(1_000); // fast replies never change a fixed depth
            prefetch.took(1);
        }
        assertThat(prefetch.depth()).isEqualTo(4);
    }

    @Test
    void theSenderWaitsUntilTheWorkerHoldsAtMostHalfItsDepth() throws InterruptedException {
        Prefetch prefetch = new Prefetch(4);
        prefetch.took(4);
        CountDownLatch woke = new CountDownLatch(1);
        Thread sender = new Thread(() -> {
            try {
                prefetch.awaitRoom(() -> false);
                woke.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        prefetch.answered(-1); // holds 3 of 4: more than half
        assertThat(woke.await(200, TimeUnit.MILLISECONDS)).isFalse();
        prefetch.answered(-1); // holds 2 of 4: half
        assertThat(woke.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(prefetch.room()).isEqualTo(2);
        sender.join();
    }

    @Test
    void anAdaptiveDepthHoldsAboutOneBudgetOfWork() {
        Prefetch prefetch = new Prefetch(0);
        assertThat(prefetch.depth()).isEqualTo(Prefetch.MIN_ADAPTIVE_DEPTH);
        answerWindow(prefetch, 10_000); // 10 µs per task: 100 of them make a millisecond
        assertThat(prefetch.depth()).isEqualTo(100);
        answerWindow(prefetch, 50); // 50 ns per task: capped
        assertThat(prefetch.depth()).isEqualTo(Prefetch.MAX_DEPTH);
        answerWindow(prefetch, 5_000_000); // 5 ms per task: the least depth
        assertThat(prefetch.depth()).isEqualTo(Prefetch.MIN_ADAPTIVE_DEPTH);
    }

    @Test
    void repliesWithoutAServiceTimeDoNotMoveTheDepth() {
        Prefetch prefetch = new Prefetch(0);
        for (int i = 0; i < 10 * Prefetch.WINDOW_TASKS; i++) {
            prefetch.took(1);
            prefetch.answered(-1);
        }
        assertThat(prefetch.depth()).isEqualTo(Prefetch.MIN_ADAPTIVE_DEPTH);
    }

    @Test
    void depthForIsTheBudgetDividedByTheCostWithinBounds() {
        assertThat(Prefetch.depthFor(0)).isEqualTo(Prefetch.MAX_DEPTH);
        assertThat(Prefetch.depthFor(1_000)).isEqualTo(1000);
        assertThat(Prefetch.depthFor(Prefetch.BUDGET_NANOS)).isEqualTo(Prefetch.MIN_ADAPTIVE_DEPTH);
        assertThat(Prefetch.depthFor(Long.MAX_VALUE)).isEqualTo(Prefetch.MIN_ADAPTIVE_DEPTH);
    }

    private static void answerWindow(Prefetch prefetch, long nanos) {
        for (int i = 0; i < Prefetch.WINDOW_TASKS; i++) {
            prefetch.took(1);
            prefetch.answered(nanos);
        }
    }
}
