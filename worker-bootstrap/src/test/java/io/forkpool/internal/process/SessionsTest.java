package io.forkpool.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionsTest {

    @Test
    void theSessionIsCountedAfterTheLastParenthesisOfTheCommandName() {
        assertThat(Sessions.liveSessionOf("4242 (sleep) S 1 4200 4100 0 -1 4194560 ...")).isEqualTo(4100);
        // a command name may hold spaces and parentheses: "a) S 9 9 9 (b"
        assertThat(Sessions.liveSessionOf("4242 (a) S 9 9 9 (b) R 1 4200 4100 0 -1")).isEqualTo(4100);
        assertThat(Sessions.liveSessionOf("7 (x y z) T 1 7 7 0")).isEqualTo(7);
        assertThat(Sessions.liveSessionOf("7 (x) S 1 7 7 ")).as("a fifth field, empty").isEqualTo(7);
        assertThat(Sessions.liveSessionOf("7 (x) S 1 7 7")).as("no fifth field").isEqualTo(-1);
        assertThat(Sessions.liveSessionOf("7 (x) S 1 7  0")).as("an empty session field").isEqualTo(-1);
        assertThat(Sessions.liveSessionOf("7 (x)  1 7 7 0")).as("an empty state").isEqualTo(-1);
    }

    @Test
    void zombiesDeadProcessesAndGarbageHaveNoLiveSession() {
        assertThat(Sessions.liveSessionOf("4242 (sleep) Z 1 4200 4100 0 -1")).isEqualTo(-1);
        assertThat(Sessions.liveSessionOf("4242 (sleep) X 1 4200 4100 0 -1")).isEqualTo(-1);
        assertThat(Sessions.liveSessionOf("")).isEqualTo(-1);
        assertThat(Sessions.liveSessionOf("4242 (sleep")).isEqualTo(-1);
        assertThat(Sessions.liveSessionOf("4242 (sleep) S 1 4200")).isEqualTo(-1);
        assertThat(Sessions.liveSessionOf("4242 (sleep) S 1 4200 x 0 -1")).isEqualTo(-1);
    }

    @Test
    void thisProcessIsNeverAMemberAndAnUnknownSessionHasNone() {
        long self = ProcessHandle.current().pid();
        assertThat(Sessions.members(List.of(self))).doesNotContain(self);
        assertThat(Sessions.members(List.of())).isEmpty();
        assertThat(Sessions.killUntilEmpty(List.of(Long.MAX_VALUE), 1_000_000)).isZero();
    }
}
