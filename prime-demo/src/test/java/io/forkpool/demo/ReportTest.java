package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ReportTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final DemoOptions IN_PROCESS = new DemoOptions(10_000_000, 100_000, 2, true, List.of(), false, 1,
            Optional.empty(), ProgressMode.NONE, false);
    private static final RunResult IN_PROCESS_RUN = new RunResult(664_579, 100, 0, 4_321, Optional.empty(), List.of());

    @Test
    void textOfAPoolRunShowsTheCountTimesWorkersAndLatencies() {
        String text = Report.text(Fixtures.POOL_OPTIONS, Fixtures.POOL_RUN, Units.UNICODE);

        assertThat(text.lines().toList()).containsExactly(
                "1,270,607 primes below 20,000,000",
                "mode pool: 2 worker JVMs, 200 tasks of up to 100,000 numbers",
                "wall time 9,182 ms, ready after 2,310 ms",
                "",
                "worker       pid    tasks  restarts  last exit",
                "     0     41234      101         0  -",
                "     1     41290       99         1  signal",
                "tasks 200 succeeded, 0 failed, 1 retried; worker crashes 1, restarts 1",
                "",
                "latency           p50        p90        p99        max",
                "round trip     3.41 s     6.12 s     6.71 s     6.78 s",
                "queue wait     3.37 s     6.07 s     6.67 s     6.74 s",
                "execution      850 ns    12.3 µs    45.6 ms    52.3 ms");
    }

    @Test
    void textOfAClusterRunShowsItsMembersInsteadOfWorkers() {
        String text = Report.text(Fixtures.CLUSTER_OPTIONS, Fixtures.CLUSTER_RUN, Units.UNICODE);

        assertThat(text.lines().toList()).containsExactly(
                "1,270,607 primes below 20,000,000",
                "mode cluster: 3 members, 4 worker JVMs, 200 tasks of up to 100,000 numbers",
                "wall time 6,410 ms, connected after 420 ms",
                "",
                "member               workers    tasks   lost  present",
                "10.0.0.1:5701              2      120      0  yes",
                "node-b.example:5701        1       12     12  no",
                "10.0.0.3:5701              1       68      0  yes",
                "tasks 200 succeeded, 0 failed, 12 retried; 12 lost with their member",
                "",
                "latency           p50        p90        p99        max",
                "round trip     3.41 s     6.12 s     6.71 s     6.78 s",
                "queue wait     3.37 s     6.07 s     6.67 s     6.74 s",
                "execution      850 ns    12.3 µs    45.6 ms    52.3 ms");
    }

    @Test
    void textOfAnInProcessRunHasNoPoolSection() {
        assertThat(Report.text(IN_PROCESS, IN_PROCESS_RUN, Units.UNICODE).lines().toList()).containsExactly(
                "664,579 primes below 10,000,000",
                "mode in-process: 2 threads, 100 tasks of up to 100,000 numbers",
                "wall time 4,321 ms, ready after 0 ms");
    }

    @Test
    void textSaysOneTaskAndOneWorkerInTheSingular() {
        DemoOptions one = new DemoOptions(1_000, 100_000, 1, false, List.of(), false, 3, Optional.empty(),
                ProgressMode.NONE, false);

        assertThat(Report.text(one, new RunResult(168, 1, 1, 2, Optional.empty(), List.of()), Units.UNICODE))
                .contains("mode pool: 1 worker JVM, 1 task of up to 100,000 numbers");
    }

    @Test
    void textFallsBackToUsWhereStdoutCannotPrintMu() {
        assertThat(Report.text(Fixtures.POOL_OPTIONS, Fixtures.POOL_RUN, Units.ASCII))
                .contains("12.3 us").doesNotContain("µ");
    }

    @Test
    void jsonIsOneLineWithTheFieldsScriptsRead() {
        String json = JsonReport.json(Fixtures.POOL_OPTIONS, Fixtures.POOL_RUN);
        JsonNode root = MAPPER.readTree(json);

        assertThat(json).doesNotContain("\n");
        assertThat(root.get("upTo").asLong()).isEqualTo(20_000_000);
        assertThat(root.get("count").asLong()).isEqualTo(1_270_607);
        assertThat(root.get("mode").asString()).isEqualTo("pool");
        assertThat(root.get("workers").asInt()).isEqualTo(2);
        assertThat(root.get("chunk").asLong()).isEqualTo(100_000);
        assertThat(root.get("tasks").asInt()).isEqualTo(200);
        assertThat(root.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(root.get("wallMillis").asLong()).isEqualTo(9_182);
        assertThat(root.get("readyMillis").asLong()).isEqualTo(2_310);
        assertThat(root.get("workerPids").toString()).isEqualTo("[41234,41290]");
        assertThat(root.get("tasksPerWorker").toString()).isEqualTo("[101,99]");
        assertThat(root.get("restarts").asLong()).isEqualTo(1);
        assertThat(root.get("java").asString()).isEqualTo("/opt/jdk/bin/java");
        assertThat(root.has("cluster")).isFalse();
        assertThat(root.has("members")).isFalse();
    }

    @Test
    void jsonOfAPoolRunCarriesItsStats() {
        JsonNode stats = MAPPER.readTree(JsonReport.json(Fixtures.POOL_OPTIONS, Fixtures.POOL_RUN)).get("stats");

        assertThat(stats.get("workers").toString()).isEqualTo("[{\"id\":0,\"pid\":41234,\"tasks\":101,\"restarts\":0,"
                + "\"lastExitCause\":null},{\"id\":1,\"pid\":41290,\"tasks\":99,\"restarts\":1,"
                + "\"lastExitCause\":\"SIGNAL\"}]");
        assertThat(stats.get("submitted").asLong()).isEqualTo(200);
        assertThat(stats.get("succeeded").asLong()).isEqualTo(200);
        assertThat(stats.get("failed").asLong()).isZero();
        assertThat(stats.get("timedOut").asLong()).isZero();
        assertThat(stats.get("cancelled").asLong()).isZero();
        assertThat(stats.get("retried").asLong()).isEqualTo(1);
        assertThat(stats.get("crashes").asLong()).isEqualTo(1);
        assertThat(stats.get("workerRestarts").asLong()).isEqualTo(1);
        assertThat(stats.get("workerExits").toString()).isEqualTo("{\"SIGNAL\":1}");
        assertThat(stats.get("roundTrip").toString()).isEqualTo("{\"count\":200,\"p50Micros\":3410000,"
                + "\"p90Micros\":6120000,\"p99Micros\":6710000,\"p999Micros\":6770000,\"maxMicros\":6780000}");
        assertThat(stats.get("queueWait").get("p50Micros").asLong()).isEqualTo(3_370_000);
        // Rounded to the nearest microsecond.
        assertThat(stats.get("execution").get("p50Micros").asLong()).isEqualTo(1);
        assertThat(stats.get("execution").get("p90Micros").asLong()).isEqualTo(12);
        assertThat(stats.get("execution").get("p99Micros").asLong()).isEqualTo(45_600);
    }

    @Test
    void jsonOfAClusterRunListsWhatEachMemberDid() {
        JsonNode root = MAPPER.readTree(JsonReport.json(Fixtures.CLUSTER_OPTIONS, Fixtures.CLUSTER_RUN));

        assertThat(root.get("mode").asString()).isEqualTo("cluster");
        assertThat(root.get("workers").asInt()).as("the members' workers").isEqualTo(4);
        assertThat(root.get("tasks").asInt()).isEqualTo(200);
        assertThat(root.get("readyMillis").asLong()).isEqualTo(420);
        assertThat(root.get("cluster").toString()).isEqualTo("[\"10.0.0.1:5701\",\"node-b.example:5701\"]");
        assertThat(root.get("members").get(1).toString()).isEqualTo("{\"address\":\"node-b.example:5701\","
                + "\"uuid\":\"5f0c2b8e-0000-4000-8000-000000000002\",\"workers\":1,\"tasks\":12,\"chunks\":5,"
                + "\"lost\":12,\"present\":false}");
        assertThat(root.get("members").findValues("tasks")).extracting(JsonNode::asLong)
                .containsExactly(120L, 12L, 68L);
        assertThat(root.get("workerPids").toString()).isEqualTo("[]");
        assertThat(root.get("tasksPerWorker").toString()).isEqualTo("[]");
        assertThat(root.get("restarts").asLong()).isZero();
        assertThat(root.get("stats").get("workers").toString()).isEqualTo("[]");
        assertThat(root.get("stats").get("retried").asLong()).isEqualTo(12);
        assertThat(root.get("stats").get("roundTrip").get("count").asLong()).isEqualTo(200);
    }

    @Test
    void jsonOfAnInProcessRunHasNoStats() {
        JsonNode root = MAPPER.readTree(JsonReport.json(IN_PROCESS, IN_PROCESS_RUN));

        assertThat(root.get("mode").asString()).isEqualTo("in-process");
        assertThat(root.get("workerPids").toString()).isEqualTo("[]");
        assertThat(root.get("tasksPerWorker").toString()).isEqualTo("[]");
        assertThat(root.get("restarts").asLong()).isZero();
        assertThat(root.has("stats")).isFalse();
        assertThat(root.has("java")).isFalse();
        assertThat(root.has("cluster")).isFalse();
        assertThat(root.has("members")).isFalse();
    }

    @Test
    void resultListsFollowTheWorkerSlots() {
        assertThat(Fixtures.POOL_RUN.workerPids()).isEqualTo(List.of(41234L, 41290L));
        assertThat(Fixtures.POOL_RUN.tasksPerWorker()).isEqualTo(List.of(101L, 99L));
        assertThat(Fixtures.POOL_RUN.restarts()).isEqualTo(1);
    }
}
