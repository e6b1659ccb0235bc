package io.forkpool.runtime.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.runtime.internal.worker.WorkerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/ARCHITECTURE.md shows the state machines' tables; the code's tables are the truth. */
class PoolStateDocTest {

    private static final Pattern ROW = Pattern.compile("^\\| ([A-Z]+) \\| ([A-Z]+) \\|", Pattern.MULTILINE);

    private static Set<String> documented(String table) throws IOException {
        Path doc = Path.of("..", "docs", "ARCHITECTURE.md");
        String text = Files.readString(doc);
        int from = text.indexOf("<!-- " + table + ":");
        int to = text.indexOf("<!-- /" + table + " -->");
        assertThat(from).as(table + " table in " + doc).isNotNegative();
        Set<String> edges = new TreeSet<>();
        Matcher row = ROW.matcher(text.substring(from, to));
        while (row.find()) {
            edges.add(row.group(1) + "->" + row.group(2));
        }
        return edges;
    }

    private static <E extends Enum<E>> Set<String> coded(Map<E, ? extends Set<E>> transitions) {
        Set<String> edges = new TreeSet<>();
        transitions.forEach((from, tos) -> tos.forEach(to -> edges.add(from.name() + "->" + to.name())));
        return edges;
    }

    @Test
    void thePoolsTransitionsAreTheOnesTheArchitectureShows() throws IOException {
        assertThat(coded(PoolState.TRANSITIONS)).isEqualTo(documented("pool-states"));
    }

    @Test
    void aWorkersTransitionsAreTheOnesTheArchitectureShows() throws IOException {
        assertThat(coded(WorkerState.TRANSITIONS)).isEqualTo(documented("worker-states"));
    }

    @Test
    void everyPoolStateButTheLastHasAWayOnAndNoneLeadsBack() {
        for (PoolState state : PoolState.values()) {
            Set<PoolState> next = PoolState.TRANSITIONS.get(state);
            assertThat(next.isEmpty()).isEqualTo(state == PoolState.TERMINATED);
            assertThat(next).allMatch(to -> to.ordinal() > state.ordinal() || EnumSet.of(PoolState.FAILED).contains(to));
        }
    }
}
