package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerminalTest {

    @Test
    void aPseudoTerminalOrTtyIsATerminal() {
        assertThat(Terminal.isTerminal(Optional.of("/dev/pts/3"), Map.of(), false)).isTrue();
        assertThat(Terminal.isTerminal(Optional.of("/dev/tty1"), Map.of("TERM", "linux"), false)).isTrue();
    }

    @Test
    void aFileOrPipeIsNot() {
        assertThat(Terminal.isTerminal(Optional.of("/tmp/build.log"), Map.of(), true)).isFalse();
        assertThat(Terminal.isTerminal(Optional.of("pipe:[123456]"), Map.of(), true)).isFalse();
        assertThat(Terminal.isTerminal(Optional.of("/dev/null"), Map.of(), true)).isFalse();
    }

    @Test
    void aDumbTerminalGetsNoBar() {
        assertThat(Terminal.isTerminal(Optional.of("/dev/pts/0"), Map.of("TERM", "dumb"), true)).isFalse();
    }

    @Test
    void withoutProcTheConsoleDecides() {
        assertThat(Terminal.isTerminal(Optional.empty(), Map.of(), true)).isTrue();
        assertThat(Terminal.isTerminal(Optional.empty(), Map.of(), false)).isFalse();
    }

    @Test
    void columnsComeFromTheEnvironmentOrDefaultToEighty() {
        assertThat(Terminal.columns(Map.of("COLUMNS", "132"))).isEqualTo(132);
        assertThat(Terminal.columns(Map.of())).isEqualTo(80);
        assertThat(Terminal.columns(Map.of("COLUMNS", "wide"))).isEqualTo(80);
        assertThat(Terminal.columns(Map.of("COLUMNS", "3"))).isEqualTo(20);
    }
}
