package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoOptionsTest {

    /** An executable that exists wherever the tests run: the JVM running them. */
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private static DemoOptions parse(String... args) throws UsageException {
        return DemoOptions.parse(List.of(args));
    }

    @Test
    void noArgumentsGiveTheDefaults() throws UsageException {
        DemoOptions options = parse();

        assertThat(options).isEqualTo(new DemoOptions(10_000_000, 100_000,
                Runtime.getRuntime().availableProcessors(), false, List.of(), false, 3, Optional.empty(),
                ProgressMode.AUTO, false));
        assertThat(options.tasks()).isEqualTo(100);
    }

    @Test
    void everyOptionIsRead() throws UsageException {
        DemoOptions options = parse("--up-to", "20000000", "--chunk", "50000", "--workers", "3",
                "--in-process", "--json", "--max-attempts", "4", "--java", JAVA.toString(), "--progress", "plain");

        assertThat(options).isEqualTo(new DemoOptions(20_000_000, 50_000, 3, true, List.of(), true, 4,
                Optional.of(JAVA), ProgressMode.PLAIN, false));
        assertThat(options.tasks()).isEqualTo(400);
    }

    @Test
    void valuesMayFollowAnEqualsSignAndContainUnderscores() throws UsageException {
        DemoOptions options = parse("--up-to=1_000_000", "--chunk=1_000", "--workers=2");

        assertThat(options.upTo()).isEqualTo(1_000_000);
        assertThat(options.chunk()).isEqualTo(1_000);
        assertThat(options.workers()).isEqualTo(2);
    }

    @Test
    void aClusterIsGivenAsAListOfAddresses() throws UsageException {
        DemoOptions options = parse("--cluster", "10.0.0.1:5701, node-b.example:5702,[::1]:5703", "--up-to", "1000",
                "--chunk", "10", "--max-attempts", "5", "--progress", "plain", "--json");

        assertThat(options.cluster()).containsExactly("10.0.0.1:5701", "node-b.example:5702", "[::1]:5703");
        assertThat(options.mode()).isEqualTo(RunMode.CLUSTER);
        assertThat(options.maxAttempts()).isEqualTo(5);
        assertThat(options.tasks()).isEqualTo(100);
    }

    @Test
    void theModeFollowsTheOptions() throws UsageException {
        assertThat(parse().mode()).isEqualTo(RunMode.POOL);
        assertThat(parse().cluster()).isEmpty();
        assertThat(parse("--in-process").mode()).isEqualTo(RunMode.IN_PROCESS);
        assertThat(parse("--cluster", "localhost:5701").mode()).isEqualTo(RunMode.CLUSTER);
        assertThat(parse("--cluster=localhost:1", "--cluster=localhost:65535").cluster())
                .containsExactly("localhost:65535");
    }

    @Test
    void theLastOfARepeatedOptionWins() throws UsageException {
        assertThat(parse("--workers", "1", "--workers", "2").workers()).isEqualTo(2);
    }

    @Test
    void zeroAndOneAreValidLimits() throws UsageException {
        assertThat(parse("--up-to", "0").tasks()).isZero();
        assertThat(parse("--up-to", "1").tasks()).isEqualTo(1);
    }

    @Test
    void aPartialLastChunkCountsAsATask() throws UsageException {
        assertThat(parse("--up-to", "250", "--chunk", "100").tasks()).isEqualTo(3);
    }

    @Test
    void helpWinsOverEverythingElse() throws UsageException {
        assertThat(parse("--help").help()).isTrue();
        assertThat(parse("--workers", "0", "--bogus", "-h").help()).isTrue();
        assertThat(parse().help()).isFalse();
    }

    @Test
    void theUsageListsEveryOptionWithItsDefault() {
        // Descriptions wrap to the terminal's width: compare with the line breaks taken out.
        String usage = DemoOptions.usage().replaceAll("\\s+", " ");

        assertThat(usage).contains("--up-to N", "(default 10_000_000)", "--chunk C", "(default 100_000)",
                "--workers W", "(default " + Runtime.getRuntime().availableProcessors() + ": the available processors)",
                "--in-process", "(default off: on worker JVMs)", "--java PATH", "(default " + JAVA + ", this JVM's)",
                "--max-attempts K", "(default 3)", "--progress MODE", "--cluster NODES",
                "reached through NODES, HOST:PORT[,HOST:PORT...] (gives up after 10 s if none answers); not with --workers, --in-process or --java",
                "(default off: on this machine)",
                "(default auto: bar if stderr is a terminal, else plain; none with --json)",
                "bar (redrawn in place), plain (a line every 2 s and one at the end) or none",
                "--json", "(default off: a summary)", "--help");
        for (Usage.Entry entry : Usage.entries()) {
            assertThat(usage).contains(" " + (entry.name() + " " + entry.argument()).strip() + " ");
            if (!entry.name().equals("--help")) {
                assertThat(entry.defaultValue()).as(entry.name()).isPresent();
                assertThat(usage).contains("(default " + entry.defaultValue().get() + ")");
            }
        }
    }

    @Test
    void theUsageFitsAnEightyColumnTerminal() {
        assertThat(DemoOptions.usage().lines().filter(line -> !line.contains(JAVA.toString())))
                .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(Usage.WIDTH));
    }

    @Test
    void everyOptionTheUsageListsIsAccepted() throws UsageException {
        for (Usage.Entry entry : Usage.entries()) {
            String value = switch (entry.argument()) {
                case "" -> null;
                case "PATH" -> JAVA.toString();
                case "MODE" -> "bar";
                case "NODES" -> "127.0.0.1:5701";
                default -> "2";
            };
            // A small --up-to first, so that "--chunk 2" stays within the task limit.
            List<String> args = value == null ? List.of("--up-to", "10", entry.name())
                    : List.of("--up-to", "10", entry.name(), value);
            assertThat(DemoOptions.parse(args)).as("%s", args).isNotNull();
        }
    }

    @Test
    void aBareJavaNameIsLeftForThePathLookup() throws UsageException {
        assertThat(parse("--java", "java").java()).contains(Path.of("java"));
    }

    @Test
    void aChunkLargerThanTheRangeMakesOneTask() throws UsageException {
        assertThat(parse("--up-to", "1000", "--chunk", "1000000").tasks()).isEqualTo(1);
    }

    @Test
    void controlCharactersInAValueAreEscapedSoTheErrorStaysOneLine() {
        assertThatThrownBy(() -> parse("--up-to", "1\n2\r\u0007"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--up-to needs a whole number, got '1\\n2\\r\\u0007'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --bogus                                | unknown option --bogus
            -x                                     | unknown option -x
            1000                                   | unexpected argument '1000'
            --up-to                                | --up-to needs a value
            --up-to --json                         | --up-to needs a value
            --up-to abc                            | --up-to needs a whole number, got 'abc'
            --up-to 1.5                            | --up-to needs a whole number, got '1.5'
            --up-to 1e6                            | --up-to needs a whole number, got '1e6'
            --up-to=                               | --up-to needs a whole number, got ''
            --up-to _1                             | --up-to needs a whole number, got '_1'
            --up-to 99999999999999999999           | --up-to is out of range: 99999999999999999999
            --up-to -1                             | --up-to must be at least 0, got -1
            --chunk 0                              | --chunk must be at least 1, got 0
            --chunk -5                             | --chunk must be at least 1, got -5
            --chunk                                | --chunk needs a value
            --workers 0                            | --workers must be between 1 and 4096, got 0
            --workers -2                           | --workers must be between 1 and 4096, got -2
            --workers 4097                         | --workers must be between 1 and 4096, got 4097
            --workers 3000000000                   | --workers must be between 1 and 4096, got 3000000000
            --workers two                          | --workers needs a whole number, got 'two'
            --max-attempts 0                       | --max-attempts must be between 1 and 100, got 0
            --max-attempts x                       | --max-attempts needs a whole number, got 'x'
            --max-attempts 101                     | --max-attempts must be between 1 and 100, got 101
            --java                                 | --java needs a value
            --java=                                | --java needs a path, got an empty value
            --json=yes                             | --json takes no value
            --in-process=true                      | --in-process takes no value
            --help=yes                             | --help takes no value
            --progress                             | --progress needs a value
            --progress fancy                       | --progress must be auto, bar, plain or none, got 'fancy'
            --progress=BAR                         | --progress must be auto, bar, plain or none, got 'BAR'
            --java /nonexistent/bin/java           | --java /nonexistent/bin/java is not an executable file
            --java /                               | --java / is not an executable file
            --java ./no-such-java                  | --java ./no-such-java is not an executable file
            --up-to 1000000001 --chunk 1000        | --up-to 1000000001 in chunks of 1000 makes 1000001 tasks, more than 1000000; use a larger --chunk
            --cluster                              | --cluster needs a value
            --cluster --json                       | --cluster needs a value
            --cluster=                             | --cluster needs HOST:PORT, got ''
            --cluster 127.0.0.1                    | --cluster needs HOST:PORT, got '127.0.0.1'
            --cluster :5701                        | --cluster needs HOST:PORT, got ':5701'
            --cluster node:                        | --cluster needs HOST:PORT, got 'node:'
            --cluster node:http                    | --cluster needs HOST:PORT, got 'node:http'
            --cluster node:-1                      | --cluster needs HOST:PORT, got 'node:-1'
            --cluster node:5_701                   | --cluster needs HOST:PORT, got 'node:5_701'
            --cluster ::1:5701                     | --cluster needs HOST:PORT, got '::1:5701'
            --cluster a:1,,b:2                     | --cluster needs HOST:PORT, got ''
            --cluster a:1,                         | --cluster needs HOST:PORT, got ''
            --cluster node:0                       | --cluster port must be between 1 and 65535, got 'node:0'
            --cluster node:65536                   | --cluster port must be between 1 and 65535, got 'node:65536'
            --cluster a:1,node:99999999999         | --cluster port must be between 1 and 65535, got 'node:99999999999'
            --cluster a:1 --workers 2              | --workers cannot be used with --cluster: each node runs the workers it was started with
            --workers 2 --cluster a:1              | --workers cannot be used with --cluster: each node runs the workers it was started with
            --cluster a:1 --java java              | --java cannot be used with --cluster: each node starts its workers with its own java
            --in-process --cluster a:1             | --in-process and --cluster are two different modes; choose one
            --in-process --workers 2 --cluster a:1 | --in-process and --cluster are two different modes; choose one
            """)
    void badArgumentsAreRejectedWithOneLine(String commandLine, String message) {
        List<String> args = List.of(commandLine.split(" "));

        assertThatThrownBy(() -> DemoOptions.parse(args))
                .isInstanceOf(UsageException.class)
                .hasMessage(message)
                .message().doesNotContain("\n");
    }
}
