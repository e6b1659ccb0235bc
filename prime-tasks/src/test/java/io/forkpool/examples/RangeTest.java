package io.forkpool.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RangeTest {

    @Test
    void chunksCoverTheWholeRangeInOrder() {
        assertThat(Range.chunks(250, 100))
                .containsExactly(new Range(0, 100), new Range(100, 200), new Range(200, 250));
        assertThat(Range.chunks(200, 100)).containsExactly(new Range(0, 100), new Range(100, 200));
        assertThat(Range.chunks(5, 100)).containsExactly(new Range(0, 5));
        assertThat(Range.chunks(0, 100)).isEmpty();
    }

    @Test
    void chunksNearLongMaxDoNotOverflow() {
        assertThat(Range.chunks(Long.MAX_VALUE, Long.MAX_VALUE - 1))
                .containsExactly(new Range(0, Long.MAX_VALUE - 1), new Range(Long.MAX_VALUE - 1, Long.MAX_VALUE));
    }

    @Test
    void aRangeMayBeEmptyButNotReversed() {
        assertThat(new Range(7, 7).from()).isEqualTo(7);
        assertThatThrownBy(() -> new Range(8, 7)).isInstanceOf(IllegalArgumentException.class);
    }
}
