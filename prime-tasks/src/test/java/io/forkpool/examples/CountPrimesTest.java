package io.forkpool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CountPrimesTest {

    // Expected values checked against an independent sieve.
    @ParameterizedTest(name = "isPrime({0}) = {1}")
    @CsvSource({
        "-7, false", "0, false", "1, false", "2, true", "3, true", "4, false", "9, false", "25, false",
        "97, true", "7919, true", "1000001, false", "1000003, true", "999983, true",
        "2147483647, true", "1000000007, true", "1000004000003, false", "999999999989, true",
        "9223372036854775807, false"
    })
    void isPrimeOnKnownValues(long n, boolean prime) {
        assertThat(CountPrimes.isPrime(n)).isEqualTo(prime);
    }

    @Test
    void isPrimeAgreesWithASieveUpTo100000() {
        boolean[] composite = new boolean[100_000];
        for (int i = 2; (long) i * i < composite.length; i++) {
            for (int j = i * i; j < composite.length; j += i) {
                composite[j] = true;
            }
        }
        for (int n = 2; n < composite.length; n++) {
            assertThat(CountPrimes.isPrime(n)).as("isPrime(%d)", n).isEqualTo(!composite[n]);
        }
    }

    @Test
    void countsPrimesInHalfOpenRanges() {
        CountPrimes task = new CountPrimes();

        assertThat(task.execute(new Range(0, 100))).isEqualTo(25);
        assertThat(task.execute(new Range(0, 100_000))).isEqualTo(9592);
        assertThat(task.execute(new Range(2, 3))).isEqualTo(1);
        assertThat(task.execute(new Range(3, 3))).isZero();
        assertThat(task.execute(new Range(97, 98))).isEqualTo(1);
        assertThat(task.execute(new Range(90, 97))).isZero();
        assertThat(Primes.count(new Range(0, 100_000))).isEqualTo(9592);
    }

    @Test
    @Timeout(60)
    void chunksAddUpToTheSameCount() {
        CountPrimes task = new CountPrimes();

        long count = Range.chunks(1_000_000, 7_777).stream().mapToLong(task::execute).sum();

        assertThat(count).isEqualTo(78498);
    }

    @Test
    void smallLimitsCountNothing() {
        assertThat(LongStream.of(0, 1, 2).map(upTo -> new CountPrimes().execute(new Range(0, upTo))).boxed().toList())
                .isEqualTo(List.of(0L, 0L, 0L));
    }
}
