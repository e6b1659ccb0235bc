package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

class JsonFailuresTest {

    private final JsonMapper mapper = Messages.newDataMapper(1 << 20);

    /** One half of a cycle. */
    public static final class Ping {
        public Pong pong;
    }

    /** The other half. */
    public static final class Pong {
        public Ping ping;
    }

    /** A value whose getter throws. */
    public static final class Broken {
        public int getX() {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void aCycleIsNamedAsOneWithTheFirstStepsOfItsPathAndNoHugeCause() {
        Ping ping = new Ping();
        ping.pong = new Pong();
        ping.pong.ping = ping;
        JacksonException e = assertThrows(JacksonException.class, () -> mapper.writeValueAsBytes(ping));
        assertThat(e.getMessage().length()).as("Jackson's own message").isGreaterThan(5_000);

        assertThat(JsonFailures.describe(e)).isEqualTo("a cycle or nesting deeper than 500 levels (at "
                + "JsonFailuresTest$Ping[\"pong\"] -> JsonFailuresTest$Pong[\"ping\"] -> JsonFailuresTest$Ping[\"pong\"] -> ...)");
        assertThat(JsonFailures.causeToKeep(e)).isNull();
    }

    @Test
    void nestingPastTheLimitIsWordedTheSame() {
        List<Object> deep = new ArrayList<>();
        List<Object> inner = deep;
        for (int i = 0; i < 1_000; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        JacksonException e = assertThrows(JacksonException.class, () -> mapper.writeValueAsBytes(deep));

        assertThat(JsonFailures.describe(e))
                .isEqualTo("a cycle or nesting deeper than 500 levels (at ArrayList[0] -> ArrayList[0] -> ArrayList[0] -> ...)");
    }

    @Test
    void otherFailuresKeepJacksonsMessageAndCause() {
        JacksonException e = assertThrows(JacksonException.class, () -> mapper.writeValueAsBytes(new Broken()));

        assertThat(JsonFailures.describe(e)).isEqualTo(e.getOriginalMessage()).contains("boom");
        assertThat(JsonFailures.causeToKeep(e)).isSameAs(e);
    }
}
