package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0              | 0 ns
            850            | 850 ns
            999            | 999 ns
            1000           | 1.00 µs
            12345          | 12.3 µs
            123456         | 123 µs
            999499         | 999 µs
            999600         | 1.00 ms
            45600000       | 45.6 ms
            999600000      | 1.00 s
            1234000000     | 1.23 s
            61000000000    | 61.0 s
            """)
    void latenciesKeepThreeSignificantDigits(long nanos, String text) {
        assertThat(Units.UNICODE.latency(nanos)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                | 0s
            7400000000       | 7s
            59400000000      | 59s
            59600000000      | 1m00s
            125000000000     | 2m05s
            3720000000000    | 1h02m
            """)
    void durationsReadLikeAClock(long nanos, String text) {
        assertThat(Units.clock(nanos)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}/s -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0        | 0.0
            14.94    | 14.9
            99.94    | 99.9
            1234.4   | 1234
            """)
    void ratesKeepOneDecimalBelowAHundred(double perSecond, String text) {
        assertThat(Units.rate(perSecond)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"12345, 12.3 us", "850, 850 ns"})
    void asciiWritesMicrosecondsAsUs(long nanos, String text) {
        assertThat(Units.ASCII.latency(nanos)).isEqualTo(text);
    }
}
