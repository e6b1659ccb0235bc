package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.WorkerPool;
import io.forkpool.runtime.tasks.PrintEverywhere;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Whatever reaches file descriptor 1 of a worker cannot touch the protocol channel. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OutputPollutionIT {

    @Test
    void aThousandTasksWriting64KibThroughEveryPathToFd1CauseNoProtocolError() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(2).maxAttempts(1).build()) {
            List<Integer> outputs = pool.invokeAll(PrintEverywhere.class, Collections.nCopies(1_000, 64));
            assertThat(outputs).hasSize(1_000).containsOnly(64);
            assertThat(pool.stats().workerRestarts()).isZero();
            assertThat(pool.stats().failed()).isZero();
            assertThat(pool.stats().succeeded()).isEqualTo(1_000);
        }
    }
}
