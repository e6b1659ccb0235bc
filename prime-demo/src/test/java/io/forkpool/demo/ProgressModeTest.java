package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressModeTest {

    @Test
    void autoIsABarOnATerminalAndPlainLinesElsewhere() {
        assertThat(ProgressMode.AUTO.resolve(false, true)).isEqualTo(ProgressMode.BAR);
        assertThat(ProgressMode.AUTO.resolve(false, false)).isEqualTo(ProgressMode.PLAIN);
    }

    @Test
    void autoShowsNothingWithJson() {
        assertThat(ProgressMode.AUTO.resolve(true, true)).isEqualTo(ProgressMode.NONE);
        assertThat(ProgressMode.AUTO.resolve(true, false)).isEqualTo(ProgressMode.NONE);
    }

    @Test
    void anExplicitModeStaysAsAsked() {
        for (ProgressMode mode : new ProgressMode[] {ProgressMode.BAR, ProgressMode.PLAIN, ProgressMode.NONE}) {
            assertThat(mode.resolve(true, false)).isEqualTo(mode);
            assertThat(mode.resolve(false, true)).isEqualTo(mode);
        }
    }

    @Test
    void choicesReadAsAList() {
        assertThat(ProgressMode.choices()).isEqualTo("auto, bar, plain or none");
    }
}
