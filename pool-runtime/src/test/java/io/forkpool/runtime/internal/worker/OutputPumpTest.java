package io.forkpool.runtime.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

class OutputPumpTest {

    private static List<String> pump(String output, OutputPump[] kept) {
        List<String> logged = new ArrayList<>();
        OutputPump pump = new OutputPump(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)),
                "worker 3 pid 42", (tag, line) -> logged.add("[" + tag + "] " + line));
        pump.run();
        kept[0] = pump;
        return logged;
    }

    @Test
    void everyLineIsLoggedOnItsOwnTaggedWithTheWorkerAndKeptForCrashReports() {
        OutputPump[] pump = new OutputPump[1];
        List<String> logged = pump("first\r\nsecond\n\nlast without newline", pump);
        assertThat(logged).containsExactly("[worker 3 pid 42] first", "[worker 3 pid 42] second",
                "[worker 3 pid 42] ", "[worker 3 pid 42] last without newline");
        assertThat(pump[0].tail().text()).isEqualTo("first\nsecond\n\nlast without newline\n");
    }

    @Test
    void aLineWithoutEndIsSplitSoThatItCannotGrowTheSupervisorsHeap() {
        OutputPump[] pump = new OutputPump[1];
        List<String> logged = pump("x".repeat(10_000) + "\n", pump);
        assertThat(logged).hasSize(3);
        assertThat(logged.get(0)).isEqualTo("[worker 3 pid 42] " + "x".repeat(4096));
        assertThat(logged.get(2)).isEqualTo("[worker 3 pid 42] " + "x".repeat(10_000 - 2 * 4096));
    }

    @Test
    void withNoSlf4jProviderBoundWorkerOutputGoesToStandardErrorTagged() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BiConsumer<String, String> sink = OutputPump.sink(new NOPLoggerFactory(), false,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        sink.accept("worker 0 pid 7", "hello from a task");

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("[worker 0 pid 7] hello from a task" + System.lineSeparator());
    }

    @Test
    void slf4jNopChosenOnPurposeStaysSilentAndABoundProviderLogsInsteadOfPrinting() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);

        OutputPump.sink(new NOPLoggerFactory(), true, stderr).accept("worker 0 pid 7", "quiet");
        OutputPump.sink(LoggerFactory.getILoggerFactory(), false, stderr).accept("worker 0 pid 7", "logged");

        assertThat(err.size()).isZero();
    }
}
