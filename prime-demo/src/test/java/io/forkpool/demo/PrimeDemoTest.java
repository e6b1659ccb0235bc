package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link PrimeDemo#run} as {@code main} calls it, without a pool: the argument errors, the in-process
 * mode, and a cluster that is not there.
 */
class PrimeDemoTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        return PrimeDemo.run(List.of(args), new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> errLines() {
        return errBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** One argument list per line, split on spaces; one case for each kind of mistake. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "--bogus",
        "extra",
        "--up-to",
        "--up-to --json",
        "--up-to ten",
        "--up-to 99999999999999999999",
        "--up-to -1",
        "--chunk 0",
        "--workers 0",
        "--workers 5000",
        "--max-attempts 101",
        "--progress sometimes",
        "--json=yes",
        "--help=please",
        "--java /no/such/java",
        "--up-to 2000000000 --chunk 1",
        "--cluster",
        "--cluster 127.0.0.1",
        "--cluster 127.0.0.1:70000",
        "--cluster 127.0.0.1:5701,",
        "--cluster 127.0.0.1:5701 --workers 2",
        "--in-process --cluster 127.0.0.1:5701",
        "--cluster 127.0.0.1:5701 --java java",
    })
    void everyBadArgumentExitsWithTwoAndExactlyOneLineOnStderr(String commandLine) {
        int code = run(commandLine.split(" "));

        assertThat(code).isEqualTo(PrimeDemo.USAGE);
        assertThat(out()).isEmpty();
        assertThat(errLines()).hasSize(1);
        assertThat(errLines().get(0)).startsWith("primes: ").endsWith(" (try --help)");
    }

    @Test
    void aNewlineInAValueStillGivesOneLine() {
        assertThat(run("--workers", "2\n3")).isEqualTo(PrimeDemo.USAGE);

        assertThat(errLines()).containsExactly("primes: --workers needs a whole number, got '2\\n3' (try --help)");
    }

    @Test
    void helpPrintsTheUsageOnStdoutAndExitsWithZero() {
        assertThat(run("--workers", "0", "--help")).isEqualTo(PrimeDemo.OK);

        assertThat(out()).isEqualTo(DemoOptions.usage());
        assertThat(errLines()).isEmpty();
    }

    @Test
    void helpDescribesTheClusterMode() {
        assertThat(run("--help")).isEqualTo(PrimeDemo.OK);

        assertThat(out()).contains("  --cluster NODES ", "HOST:PORT[,HOST:PORT...]");
    }

    /**
     * Nothing listens on the port, so the client gives up after the demo's connect timeout (10 s), and the
     * demo says so in one line with exit code 1, as for a pool that cannot start.
     */
    @Test
    @Timeout(60)
    void anUnreachableClusterFailsWithOneLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        assertThat(run("--up-to", "1000", "--cluster", "127.0.0.1:" + port, "--progress", "none"))
                .isEqualTo(PrimeDemo.FAILED);

        assertThat(out()).isEmpty();
        assertThat(errLines()).singleElement().asString()
                .startsWith("primes: pool primes cannot reach cluster 'forkpool' through [127.0.0.1:" + port + "]");
    }

    @Test
    @Timeout(60)
    void anInProcessRunPrintsTheSummaryAndItsLastProgressLine() {
        assertThat(run("--in-process", "--up-to", "100000", "--chunk", "10000", "--workers", "2",
                "--progress", "plain")).isEqualTo(PrimeDemo.OK);

        assertThat(out()).startsWith("9,592 primes below 100,000" + System.lineSeparator()
                + "mode in-process: 2 threads, 10 tasks of up to 10,000 numbers");
        assertThat(errLines()).last().asString().startsWith("primes: 10/10 tasks (100%) done in ");
    }

    @Test
    @Timeout(60)
    void anInProcessJsonRunWritesOneLineAndNoProgress() {
        assertThat(run("--in-process", "--up-to", "100000", "--workers", "1", "--json")).isEqualTo(PrimeDemo.OK);

        JsonNode json = JsonMapper.builder().build().readTree(out());
        assertThat(out().lines()).hasSize(1);
        assertThat(json.get("count").asLong()).isEqualTo(9_592);
        assertThat(errLines()).isEmpty();
    }
}
