package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ReportTest {

    private static final RunResult RESULT =
            new RunResult(664_579, 100, 250, 4_321, List.of(11L, 12L), List.of(49L, 51L), 0);

    @Test
    void jsonIsOneLineWithEveryField() {
        DemoOptions options = new DemoOptions(10_000_000, 100_000, 2, false, true, 3,
                Optional.of(Path.of("/opt/jdk/bin/java")), ProgressMode.AUTO, false);

        String json = Report.json(options, RESULT);
        JsonNode root = JsonMapper.builder().build().readTree(json);

        assertThat(json).doesNotContain("\n");
        assertThat(root.get("upTo").asLong()).isEqualTo(10_000_000);
        assertThat(root.get("count").asLong()).isEqualTo(664_579);
        assertThat(root.get("mode").asString()).isEqualTo("pool");
        assertThat(root.get("workers").asInt()).isEqualTo(2);
        assertThat(root.get("tasks").asInt()).isEqualTo(100);
        assertThat(root.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(root.get("wallMillis").asLong()).isEqualTo(4_321);
        assertThat(root.get("readyMillis").asLong()).isEqualTo(250);
        assertThat(root.get("workerPids").toString()).isEqualTo("[11,12]");
        assertThat(root.get("tasksPerWorker").toString()).isEqualTo("[49,51]");
        assertThat(root.get("restarts").asLong()).isZero();
        assertThat(root.get("java").asString()).isEqualTo("/opt/jdk/bin/java");
    }

    @Test
    void textNamesTheCountModeAndTimes() {
        DemoOptions options = new DemoOptions(10_000_000, 100_000, 2, true, false, 1, Optional.empty(),
                ProgressMode.NONE, false);

        assertThat(Report.text(options, RESULT)).contains("664,579 primes below 10,000,000",
                "mode in-process: 2 threads, 100 tasks", "wall time 4,321 ms", "ready after 250 ms");
    }
}
