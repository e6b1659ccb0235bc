package io.forkpool.runtime.internal.worker;

import io.forkpool.internal.protocol.Frame;
import io.forkpool.internal.protocol.FrameType;
import io.forkpool.internal.protocol.HelloReader;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.ProtocolException;
import java.util.Optional;

/** Checks a worker's first frame: a pure function of the frame and the token the worker was given. */
final class Handshake {

    private Handshake() {
    }

    /**
     * @param frame the first frame the worker sent, or {@code null} if its channel ended first
     * @param token the token the worker was started with
     * @return the worker's hello
     * @throws ProtocolException if the frame is not a HELLO of this protocol version with that token
     */
    static Messages.Hello check(Frame frame, String token) throws ProtocolException {
        if (frame == null) {
            throw new ProtocolException("channel closed before the worker said hello");
        }
        if (frame.type() != FrameType.HELLO) {
            throw new ProtocolException("expected HELLO as the first frame, got " + frame + ": "
                    + ProtocolException.hex(frame.payload(), 0, frame.payload().length, 64));
        }
        // Read by hand where it can be (every hello a worker writes): the control mapper's first
        // use in a fresh supervisor costs about a second of CPU while its workers are starting.
        Optional<Messages.Hello> read = HelloReader.read(frame.payload());
        Messages.Hello hello = read.isPresent() ? read.get() : Messages.decode(frame.payload(), Messages.Hello.class);
        if (hello.protocolVersion() != Messages.PROTOCOL_VERSION) {
            throw new ProtocolException("worker speaks protocol version " + hello.protocolVersion()
                    + " but this supervisor speaks version " + Messages.PROTOCOL_VERSION);
        }
        if (!token.equals(hello.token())) {
            throw new ProtocolException("worker presented a wrong token");
        }
        return hello;
    }
}
