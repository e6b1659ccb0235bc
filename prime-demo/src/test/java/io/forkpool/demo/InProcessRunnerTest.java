package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.examples.Range;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InProcessRunnerTest {

    @Test
    @Timeout(60)
    void theInProcessBaselineCountsBelowOneMillion() throws Exception {
        DemoOptions options = new DemoOptions(1_000_000, 100_000, 2, true, List.of(), false, 1, Optional.empty(),
                ProgressMode.NONE, false);
        LiveProgress progress = new LiveProgress(ProgressMode.NONE, System.err, RunMode.IN_PROCESS, 2, 80,
                System::nanoTime);

        RunResult result = InProcessRunner.run(options, Range.chunks(options.upTo(), options.chunk()), progress);

        assertThat(result.count()).isEqualTo(78498);
        assertThat(result.tasks()).isEqualTo(10);
        assertThat(result.readyMillis()).isZero();
        assertThat(result.workerPids()).isEmpty();
        assertThat(result.stats()).isEmpty();
        assertThat(progress.figures(true).done()).as("tasks reported done").isEqualTo(10);
    }
}
