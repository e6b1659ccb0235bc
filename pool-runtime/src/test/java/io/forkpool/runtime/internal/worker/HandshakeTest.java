package io.forkpool.runtime.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private static Frame hello(int version, String token) {
        return new Frame(FrameType.HELLO, 0,
                Messages.encode(new Messages.Hello(version, 42, token, "test", List.of(Messages.FEATURE_PING))));
    }

    @Test
    void aHelloOfThisVersionWithTheTokenIsTaken() throws ProtocolException {
        Messages.Hello hello = Handshake.check(hello(Messages.PROTOCOL_VERSION, TOKEN), TOKEN);
        assertThat(hello.pid()).isEqualTo(42);
        assertThat(hello.answersPings()).isTrue();
    }

    @Test
    void everyOtherFirstFrameIsAProtocolErrorThatSaysWhy() {
        assertThatThrownBy(() -> Handshake.check(null, TOKEN))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("before the worker said hello");
        assertThatThrownBy(() -> Handshake.check(
                new Frame(FrameType.RESULT, 1, "{}".getBytes(StandardCharsets.UTF_8)), TOKEN))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("expected HELLO");
        assertThatThrownBy(() -> Handshake.check(hello(Messages.PROTOCOL_VERSION + 1, TOKEN), TOKEN))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("protocol version");
        assertThatThrownBy(() -> Handshake.check(hello(Messages.PROTOCOL_VERSION, TOKEN.replace('0', '1')), TOKEN))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("wrong token");
    }
}
