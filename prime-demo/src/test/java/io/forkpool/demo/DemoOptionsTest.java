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

    private static DemoOptions parse(String... args) throws UsageException {
        return DemoOptions.parse(List.of(args));
    }

    @Test
    void noArgumentsGiveTheDefaults() throws UsageException {
        DemoOptions options = parse();

        assertThat(options).isEqualTo(new DemoOptions(10_000_000, 100_000,
                Runtime.getRuntime().availableProcessors(), false, false, 3, Optional.empty(), false));
        assertThat(options.tasks()).isEqualTo(100);
    }

    @Test
    void everyOptionIsRead() throws UsageException {
        DemoOptions options = parse("--up-to", "20000000", "--chunk", "50000", "--workers", "3",
                "--in-process", "--json", "--max-attempts", "4", "--java", "/opt/jdk21/bin/java");

        assertThat(options).isEqualTo(new DemoOptions(20_000_000, 50_000, 3, true, true, 4,
                Optional.of(Path.of("/opt/jdk21/bin/java")), false));
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
        String usage = DemoOptions.usage();

        assertThat(usage).contains("--up-to N", "default 10000000", "--chunk C", "default 100000",
                "--workers W", "default " + Runtime.getRuntime().availableProcessors(), "--in-process",
                "--java PATH", "--max-attempts K", "default 3", "--json", "--help");
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
            --up-to 1000000001 --chunk 1000        | --up-to 1000000001 in chunks of 1000 makes 1000001 tasks, more than 1000000; use a larger --chunk
            """)
    void badArgumentsAreRejectedWithOneLine(String commandLine, String message) {
        List<String> args = List.of(commandLine.split(" "));

        assertThatThrownBy(() -> DemoOptions.parse(args))
                .isInstanceOf(UsageException.class)
                .hasMessage(message)
                .message().doesNotContain("\n");
    }
}
