package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.WorkerPool;
import io.forkpool.runtime.tasks.CountPrimes;
import io.forkpool.runtime.tasks.Range;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SmokeIT {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void smoke() throws Exception {
        long t0 = System.nanoTime();
        try (WorkerPool pool = WorkerPool.builder().workers(2).build()) {
            System.out.println("ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(pool.submit(CountPrimes.class, new Range(0, 100_000)).get()).isEqualTo(9592L);
        }
        System.out.println("closed after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
