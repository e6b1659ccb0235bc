package io.forkpool.runtime.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final WorkerSlot slot = new WorkerSlot(0, false);

    @Test
    void restartsAHealthyWorkerAtOnce() {
        RestartPolicy policy = new RestartPolicy(100, Duration.ofMinutes(1));
        for (int i = 0; i < 10; i++) {
            assertThat(policy.onDeath(slot, false, false, true, 0, i * SECOND)).isZero();
        }
    }

    @Test
    void backsOffExponentiallyForWorkersThatDidNoWorkAndResetsAfterAHealthyOne() {
        RestartPolicy policy = new RestartPolicy(100, Duration.ofMinutes(1));
        assertThat(policy.onDeath(slot, false, false, false, 0, 0)).isEqualTo(50);
        assertThat(policy.onDeath(slot, false, false, false, 0, 1)).isEqualTo(100);
        assertThat(policy.onDeath(slot, false, false, false, 0, 2)).isEqualTo(200);
        assertThat(policy.onDeath(slot, false, false, false, 11 * SECOND, 3)).isZero(); // ready 11 s: healthy
        assertThat(policy.onDeath(slot, false, false, false, 0, 4)).isEqualTo(50);
    }

    @Test
    void capsTheBackoff() {
        RestartPolicy policy = new RestartPolicy(1_000, Duration.ofMinutes(1));
        long delay = 0;
        for (int i = 0; i < 30; i++) {
            delay = policy.onDeath(slot, false, false, false, 0, i);
        }
        assertThat(delay).isEqualTo(RestartPolicy.BACKOFF_MAX_MILLIS);
    }

    @Test
    void failsAfterFiveStartupFailuresInARowUnlessAWorkerBecameReady() {
        RestartPolicy policy = new RestartPolicy(100, Duration.ofMinutes(1));
        for (int i = 0; i < 4; i++) {
            assertThat(policy.onDeath(slot, true, false, false, 0, i)).isPositive();
        }
        policy.onReady();
        for (int i = 0; i < 4; i++) {
            assertThat(policy.onDeath(slot, true, false, false, 0, 10 + i)).isPositive();
        }
        assertThat(policy.onDeath(slot, true, false, false, 0, 20)).isEqualTo(-1);
        assertThat(policy.failureReason()).isEqualTo("5 workers in a row died before they were ready");
    }

    @Test
    void failsWhenRestartsExceedTheLimitWithinTheWindowButNotOutsideIt() {
        RestartPolicy policy = new RestartPolicy(3, Duration.ofSeconds(10));
        assertThat(policy.onDeath(slot, false, false, true, 0, 0)).isZero();
        assertThat(policy.onDeath(slot, false, false, true, 0, SECOND)).isZero();
        assertThat(policy.onDeath(slot, false, false, true, 0, 2 * SECOND)).isZero();
        assertThat(policy.onDeath(slot, false, false, true, 0, 3 * SECOND)).isEqualTo(-1);
        assertThat(policy.failureReason()).isEqualTo("more than 3 worker restarts within PT10S");
        RestartPolicy later = new RestartPolicy(3, Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            assertThat(later.onDeath(slot, false, false, true, 0, i * 4 * SECOND)).isZero();
        }
    }

    @Test
    void startingWorkersKilledFromOutsideAreNoCrashLoopButStillCountTowardTheLimit() {
        RestartPolicy policy = new RestartPolicy(8, Duration.ofMinutes(1));
        for (int i = 0; i < 8; i++) { // five in a row would fail the pool, were they the workers' own doing
            assertThat(policy.onDeath(slot, true, true, false, 0, i)).as("death " + i).isPositive();
        }
        assertThat(policy.onDeath(slot, true, true, false, 0, 9)).isEqualTo(-1);
        assertThat(policy.failureReason()).isEqualTo("more than 8 worker restarts within PT1M");
    }
}
