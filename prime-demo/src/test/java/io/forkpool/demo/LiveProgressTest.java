package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.BatchProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Drives the display by hand, with a clock of its own, through {@link LiveProgress#render()}. */
class LiveProgressTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private LiveProgress progress(ProgressMode mode) {
        return new LiveProgress(mode, err, RunMode.POOL, 2, 100, clock::get);
    }

    private void advance(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainLinesFollowTheRunFromStartUpToTheEnd() {
        LiveProgress progress = progress(ProgressMode.PLAIN);

        advance(Duration.ofSeconds(2));
        progress.render();
        advance(Duration.ofSeconds(1));
        progress.poolReady(() -> Fixtures.STATS);
        progress.batchStarted(200);
        advance(Duration.ofSeconds(2));
        progress.listener().onProgress(new BatchProgress(50, 200, 0, Duration.ofSeconds(2), false));
        progress.render();
        advance(Duration.ofSeconds(2));
        progress.listener().onProgress(new BatchProgress(200, 200, 0, Duration.ofSeconds(4), true));
        progress.finish();

        assertThat(written().lines().toList()).containsExactly(
                "primes: starting 2 worker JVMs, 2.0s elapsed",
                "primes: 50/200 tasks (25%), 25.0 tasks/s, ETA 6s, workers 2/2 alive, 1 restart, 5.0s elapsed",
                "primes: 200/200 tasks (100%) done in 4.0s, 50.0 tasks/s, workers 2/2 alive, 1 restart");
    }

    @Test
    void theListenerOnlyStoresTheCountAndAsksForReportsAtItsOwnPace() {
        LiveProgress progress = progress(ProgressMode.NONE);
        progress.batchStarted(10);

        progress.listener().onProgress(new BatchProgress(7, 10, 0, Duration.ZERO, false));

        assertThat(progress.listener().interval()).isEqualTo(LiveProgress.LISTENER_INTERVAL);
        assertThat(progress.figures(false).done()).isEqualTo(7);
        assertThat(written()).isEmpty();
    }

    @Test
    void inProcessTasksCountThemselves() {
        LiveProgress progress = new LiveProgress(ProgressMode.PLAIN, err, RunMode.IN_PROCESS, 4, 100, clock::get);
        progress.batchStarted(3);
        advance(Duration.ofSeconds(3));

        progress.taskDone();
        progress.taskDone();
        progress.taskDone();
        progress.finish();

        assertThat(written()).isEqualTo("primes: 3/3 tasks (100%) done in 3.0s, 1.0 tasks/s, 4 threads"
                + System.lineSeparator());
    }

    @Test
    void beforeThePoolIsReadyNoWorkerCountsAsAlive() {
        ProgressFigures figures = progress(ProgressMode.NONE).figures(false);

        assertThat(figures.started()).isFalse();
        assertThat(figures.workersAlive()).isZero();
        assertThat(figures.workers()).isEqualTo(2);
    }

    @Test
    void theBarIsDrawnInPlaceAndErasedAtTheEnd() {
        LiveProgress progress = progress(ProgressMode.BAR);
        progress.poolReady(() -> Fixtures.STATS);
        progress.batchStarted(200);
        advance(Duration.ofSeconds(4));
        progress.listener().onProgress(new BatchProgress(100, 200, 0, Duration.ofSeconds(4), false));

        progress.render();
        progress.finish();

        assertThat(written()).isEqualTo(StatusLine.RETURN + ProgressLine.bar(progress.figures(false), 100)
                + StatusLine.ERASE + StatusLine.RETURN + StatusLine.ERASE);
    }

    @Test
    void inAClusterOnlyThePresentMembersAndTheirWorkersCount() {
        LiveProgress progress = new LiveProgress(ProgressMode.PLAIN, err, RunMode.CLUSTER, 2, 100, clock::get);
        advance(Duration.ofSeconds(2));
        progress.render();
        progress.clusterReady(() -> Fixtures.MEMBERS);
        progress.batchStarted(200);
        progress.listener().onProgress(new BatchProgress(200, 200, 0, Duration.ofSeconds(4), true));
        advance(Duration.ofSeconds(4));

        progress.finish();

        assertThat(progress.figures(true).members()).isEqualTo(2);
        assertThat(progress.figures(true).workersAlive()).isEqualTo(3);
        assertThat(written().lines().toList()).containsExactly(
                "primes: connecting to the cluster, 2.0s elapsed",
                "primes: 200/200 tasks (100%) done in 4.0s, 50.0 tasks/s, 2 members, 3 workers");
    }

    @Test
    void closingAfterAFailureLeavesNoLastLine() {
        LiveProgress progress = progress(ProgressMode.PLAIN);
        progress.batchStarted(10);

        progress.close();
        progress.close();

        assertThat(written()).isEmpty();
    }

    @Test
    void whileABarIsShownSystemErrGoesAroundIt() {
        PrintStream original = System.err;
        LiveProgress progress = LiveProgress.start(ProgressMode.BAR, err, RunMode.POOL, 2);
        try {
            assertThat(System.err).isNotSameAs(original);
            System.err.println("a warning from the pool");
            progress.close();
        } finally {
            progress.close();
            if (System.err != original) {
                System.setErr(original);
            }
        }

        assertThat(System.err).isSameAs(original);
        assertThat(written()).contains("a warning from the pool\n");
    }

    @Test
    void plainLinesLeaveSystemErrAlone() {
        PrintStream original = System.err;
        LiveProgress progress = LiveProgress.start(ProgressMode.PLAIN, err, RunMode.POOL, 2);
        try {
            assertThat(System.err).isSameAs(original);
        } finally {
            progress.close();
        }
    }

    @Test
    void statsAreReadOnlyOncePerLine() {
        AtomicLong calls = new AtomicLong();
        LiveProgress progress = progress(ProgressMode.PLAIN);
        progress.poolReady(() -> {
            calls.incrementAndGet();
            return Fixtures.STATS;
        });

        progress.render();

        assertThat(calls).hasValue(1);
    }
}
