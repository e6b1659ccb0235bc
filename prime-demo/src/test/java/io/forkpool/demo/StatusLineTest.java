package io.forkpool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    private static final String CR = StatusLine.RETURN;
    private static final String EL = StatusLine.ERASE;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final StatusLine line = new StatusLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    private final PrintStream log = new PrintStream(line.interleaved(), true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachDrawWritesOverThePreviousLineAndErasesWhatIsLeft() {
        line.draw("[##--]  50%");
        line.draw("[###-]  75%");

        assertThat(written()).isEqualTo(CR + "[##--]  50%" + EL + CR + "[###-]  75%" + EL);
    }

    @Test
    void aLogLineErasesTheBarAndKeepsALineOfItsOwn() {
        line.draw("bar");
        log.println("WARN worker 1 crashed");
        line.draw("bar again");

        assertThat(written()).isEqualTo(CR + "bar" + EL + CR + EL + "WARN worker 1 crashed\n" + CR + "bar again" + EL);
    }

    @Test
    void theBarWaitsWhileOtherOutputIsMidLine() {
        log.print("half a ");
        line.draw("bar");
        log.print("line\n");
        line.draw("bar");

        assertThat(written()).isEqualTo("half a line\n" + CR + "bar" + EL);
    }

    @Test
    void closingErasesTheBarForGood() {
        line.draw("bar");
        line.close();
        line.draw("late bar");
        log.println("error line");

        assertThat(written()).isEqualTo(CR + "bar" + EL + CR + EL + "error line\n");
    }

    @Test
    void closingWithoutABarWritesNothing() {
        line.close();

        assertThat(written()).isEmpty();
    }
}
