package io.forkpool.runtime.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AtExitWarningTest {

    @Test
    void namesThePoolWhatWasCancelledAndTheFix() {
        assertThat(PoolShutdown.atExitWarning("primes", new PoolShutdown.AtExit(3, 4)))
                .isEqualTo("pool primes was not closed before the JVM exited: cancelled 4 task(s) (3 queued, "
                        + "1 sent to workers) instead of running them; close the pool (try-with-resources) to let "
                        + "them finish");
    }

    @Test
    void neverCountsMoreQueuedThanCancelled() {
        // a queued task that completed in the meantime was not cancelled
        assertThat(PoolShutdown.atExitWarning("p", new PoolShutdown.AtExit(5, 2)))
                .contains("cancelled 2 task(s) (2 queued, 0 sent to workers)");
    }
}
