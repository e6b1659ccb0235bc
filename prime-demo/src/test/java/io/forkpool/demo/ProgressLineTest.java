package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static final long SECOND = 1_000_000_000L;

    /** 62 of 200 tasks after 4.15 s of batch, 6.4 s since the run began, both workers up, no restart. */
    private static ProgressFigures running(long done) {
        return new ProgressFigures(true, false, done, 200, 6_400_000_000L, 4_150_000_000L, RunMode.POOL, 0, 2, 2, 0);
    }

    @Test
    void barShowsTasksRateEtaWorkersAndRestarts() {
        assertThat(ProgressLine.bar(running(62), 80)).isEqualTo(
                "[###---------]  31%   62/200 tasks   14.9/s  ETA 9s     2/2 workers  0 restarts");
    }

    @Test
    void barTakesTheRoomAWideTerminalGivesUpToItsMaximum() {
        String line = ProgressLine.bar(running(100), 200);

        assertThat(line).startsWith("[" + "#".repeat(15) + "-".repeat(15) + "]  50%");
    }

    @Test
    void barIsFullWhenEveryTaskIsDone() {
        assertThat(ProgressLine.bar(running(200), 120)).startsWith("[" + "#".repeat(30) + "] 100%")
                .contains("200/200 tasks", "ETA 0s ");
    }

    @Test
    void etaIsUnknownUntilATaskCompletes() {
        assertThat(ProgressLine.bar(running(0), 100)).contains("   0%    0/200 tasks    0.0/s  ETA --     2/2");
    }

    @Test
    void etaReadsLikeAClockBeyondAMinute() {
        ProgressFigures slow = new ProgressFigures(true, false, 10, 200, 0, 40 * SECOND, RunMode.POOL, 0, 2, 2, 0);

        assertThat(ProgressLine.bar(slow, 100)).contains("ETA 12m40s");
    }

    @Test
    void barShowsWorkersDownAndRestartsWhileAWorkerIsReplaced() {
        ProgressFigures replacing = new ProgressFigures(true, false, 62, 200, 0, 4 * SECOND, RunMode.POOL, 0, 1, 2, 3);

        assertThat(ProgressLine.bar(replacing, 100)).endsWith("1/2 workers  3 restarts");
    }

    @Test
    void barIsDroppedRatherThanSqueezedOnANarrowTerminal() {
        String line = ProgressLine.bar(running(62), 60);

        assertThat(line).doesNotContain("[").startsWith("31%   62/200 tasks").hasSizeLessThan(60);
    }

    @Test
    void barKeepsItsLengthAsTheFiguresGrowSoItDoesNotJitter() {
        assertThat(java.util.stream.LongStream.of(0, 1, 9, 62, 100, 199).mapToObj(done -> ProgressLine.bar(running(done), 80))
                .map(String::length).distinct()).hasSize(1);
    }

    @Test
    void barNeverReachesTheLastColumnSoItNeverWraps() {
        for (int columns = 20; columns <= 140; columns++) {
            for (long done : new long[] {0, 1, 62, 199, 200}) {
                assertThat(ProgressLine.bar(running(done), columns)).as("%d columns", columns)
                        .hasSizeLessThan(columns);
            }
        }
    }

    @Test
    void barSaysWhatItIsWaitingForWhileThePoolStarts() {
        ProgressFigures starting = new ProgressFigures(false, false, 0, 0, 1_500_000_000L, 0, RunMode.POOL, 0, 0, 2, 0);

        assertThat(ProgressLine.bar(starting, 80)).isEqualTo("starting 2 worker JVMs... 1.5s");
    }

    @Test
    void barOfAnInProcessRunCountsThreads() {
        ProgressFigures threads = new ProgressFigures(true, false, 5, 10, 2 * SECOND, 2 * SECOND, RunMode.IN_PROCESS, 0,
                4, 4, 0);

        assertThat(ProgressLine.bar(threads, 80)).endsWith("   5/10 tasks    2.5/s  ETA 2s     4 threads");
    }

    @Test
    void inAClusterTheLinesCountMembersAndTheirWorkers() {
        ProgressFigures cluster = new ProgressFigures(true, false, 62, 200, 6_400_000_000L, 4_150_000_000L,
                RunMode.CLUSTER, 2, 3, 3, 0);

        assertThat(ProgressLine.bar(cluster, 80)).isEqualTo(
                "[####-----------]  31%   62/200 tasks   14.9/s  ETA 9s     2 members  3 workers");
        assertThat(ProgressLine.plain(cluster)).isEqualTo(
                "primes: 62/200 tasks (31%), 14.9 tasks/s, ETA 9s, 2 members, 3 workers, 6.4s elapsed");
    }

    @Test
    void inAClusterTheLinesSayWhatIsAwaitedWhileConnecting() {
        ProgressFigures connecting = new ProgressFigures(false, false, 0, 0, 2 * SECOND, 0, RunMode.CLUSTER, 0, 0, 0,
                0);

        assertThat(ProgressLine.bar(connecting, 80)).isEqualTo("connecting to the cluster... 2.0s");
        assertThat(ProgressLine.plain(connecting)).isEqualTo("primes: connecting to the cluster, 2.0s elapsed");
    }

    @Test
    void aClusterOfOneSaysSoInTheSingular() {
        ProgressFigures finished = new ProgressFigures(true, true, 20, 20, 3 * SECOND, 2 * SECOND, RunMode.CLUSTER, 1,
                1, 1, 0);

        assertThat(ProgressLine.plain(finished)).isEqualTo(
                "primes: 20/20 tasks (100%) done in 2.0s, 10.0 tasks/s, 1 member, 1 worker");
    }

    @Test
    void plainLineSaysTheSameInWords() {
        assertThat(ProgressLine.plain(running(62))).isEqualTo(
                "primes: 62/200 tasks (31%), 14.9 tasks/s, ETA 9s, workers 2/2 alive, 0 restarts, 6.4s elapsed");
    }

    @Test
    void plainLineWhileThePoolStarts() {
        ProgressFigures starting = new ProgressFigures(false, false, 0, 0, 2 * SECOND, 0, RunMode.POOL, 0, 0, 1, 0);

        assertThat(ProgressLine.plain(starting)).isEqualTo("primes: starting 1 worker JVM, 2.0s elapsed");
    }

    @Test
    void lastPlainLineSaysHowLongTheTasksTook() {
        ProgressFigures finished = new ProgressFigures(true, true, 200, 200, 9 * SECOND, 6_870_000_000L, RunMode.POOL,
                0, 2, 2, 1);

        assertThat(ProgressLine.plain(finished)).isEqualTo(
                "primes: 200/200 tasks (100%) done in 6.9s, 29.1 tasks/s, workers 2/2 alive, 1 restart");
    }

    @Test
    void anEmptyRunIsComplete() {
        ProgressFigures empty = new ProgressFigures(true, true, 0, 0, SECOND, 0, RunMode.POOL, 0, 2, 2, 0);

        assertThat(ProgressLine.plain(empty)).startsWith("primes: 0/0 tasks (100%) done in 0.0s");
        assertThat(ProgressLine.bar(empty, 80)).contains("100%", "ETA 0s");
    }
}
