package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PrimeDemo#run} as {@code main} calls it, without a pool: the argument errors. */
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
}
