package io.forkpool.runtime.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
