package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Property-based fuzzing of payload parsing: {@link TaskRequest#parse} (the TASK payload of
 * section 4.1) and {@link Messages#decode} (the JSON control messages), with the plain-JUnit
 * harness {@link FuzzHarness} (seeded and replayable; see there).
 *
 * <p>Both run on bytes from the other process. Their Javadoc promises {@link ProtocolException}
 * for a bad payload, and the callers (the worker's task runner, the supervisor's reader) handle
 * exactly that: any other exception type would escape as an unexplained crash of an I/O thread
 * instead of the protocol-error path of section 6.
 */
class PayloadFuzzTest {

    // ---- TaskRequest.parse ---------------------------------------------------------------------

    /**
     * Section 4.1, read independently of {@link TaskRequest}: the payload is valid iff it holds
     * the u16 name length, a name of 1..65535 bytes, and an attempt byte from 1 to 100; the input may be
     * empty at this layer (whether it is one JSON document is the task's input decoding's business).
     *
     * @return the expected request, or {@code null} if the payload is a violation
     */
    static TaskRequest reference(byte[] payload) {
        if (payload.length < 2) {
            return null;
        }
        int nameLength = ByteBuffer.wrap(payload).getShort(0) & 0xFFFF;
        int attemptAt = 2 + nameLength;
        if (nameLength == 0 || attemptAt >= payload.length || payload[attemptAt] == 0
                || (payload[attemptAt] & 0xFF) > 100) {
            return null;
        }
        return new TaskRequest(new String(payload, 2, nameLength, StandardCharsets.UTF_8), payload[attemptAt] & 0xFF,
                attemptAt + 1);
    }

    /**
     * {@code TaskRequest.parse} on valid payloads (names of 1..65535 bytes, attempts 1..100),
     * mutated ones (bit flips, truncation, insertion…, and aimed at the name length — 0, 0xFFFF,
     * exactly the payload, one short of room for the attempt — and at the attempt byte — 0, 101) and
     * random bytes: it returns exactly what the reference reading of section 4.1 expects, or throws
     * {@code ProtocolException} exactly when the reference says the payload is a violation; never
     * another exception type. Valid payloads also round-trip the generated name and attempt.
     */
    @Test
    void taskRequestParseAcceptsExactlyWhatSectionFourOneAllows(TestInfo test) {
        FuzzHarness.run(test, "task-request-parse", FuzzHarness.cases(20_000), (r, c) -> {
            StringBuilder log = new StringBuilder();
            byte[] valid = FuzzInputs.validTaskPayload(r, log);
            byte[] payload = switch (r.nextInt(10)) {
                case 0, 1, 2 -> valid;
                case 3, 4 -> mutateTaskHeader(r, valid, log);
                case 5, 6, 7 -> {
                    byte[] bytes = valid.clone();
                    for (int i = 1 + r.nextInt(3); i > 0; i--) {
                        bytes = FuzzInputs.mutateBytes(r, bytes, log);
                    }
                    yield bytes;
                }
                default -> {
                    log.append("random bytes; ");
                    yield FuzzInputs.randomBytes(r, FuzzInputs.size(r, 300));
                }
            };
            c.input(payload);
            c.note(log.toString());
            TaskRequest parsed = null;
            Throwable thrown = null;
            c.begin();
            try {
                parsed = TaskRequest.parse(payload);
            } catch (Throwable t) {
                thrown = t;
            }
            c.end();
            if (thrown != null && !(thrown instanceof ProtocolException)) {
                throw new AssertionError("TaskRequest.parse threw " + thrown.getClass().getName()
                        + "; only ProtocolException is allowed", thrown);
            }
            TaskRequest expected = reference(payload);
            if (expected == null) {
                assertThat(thrown).as("a violation of section 4.1 (parsed as %s)", parsed)
                        .isInstanceOf(ProtocolException.class);
                c.count("rejected");
            } else {
                assertThat(thrown).as("a valid TASK payload").isNull();
                assertThat(parsed).isEqualTo(expected);
                c.count("accepted");
            }
            if (payload == valid) {
                assertThat(parsed.inputOffset()).isLessThanOrEqualTo(payload.length);
                assertThat(TaskRequest.encodeName(parsed.taskClass()))
                        .isEqualTo(Arrays.copyOf(payload, parsed.inputOffset() - 1));
            }
        });
    }

    private static byte[] mutateTaskHeader(SplittableRandom r, byte[] valid, StringBuilder log) {
        byte[] payload = valid.clone();
        int nameLength = ByteBuffer.wrap(payload).getShort(0) & 0xFFFF;
        if (r.nextInt(3) == 0) {
            int attempt = r.nextBoolean() ? 0 : 101 + r.nextInt(155);
            payload[2 + nameLength] = (byte) attempt;
            log.append("attempt=").append(attempt).append("; ");
            return payload;
        }
        int length = switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 0xFFFF;
            case 2 -> Math.min(0xFFFF, payload.length - 2); // leaves no room for the attempt
            case 3 -> Math.min(0xFFFF, payload.length - 3); // exactly room for the attempt
            case 4 -> nameLength + 1;
            default -> r.nextInt(0x10000);
        };
        ByteBuffer.wrap(payload).putShort(0, (short) length);
        log.append("name length=").append(length).append("; ");
        return payload;
    }

    // ---- Messages.decode -----------------------------------------------------------------------

    /**
     * {@code Messages.decode} on control messages (every record in {@link Messages}, with random
     * field values): encoded ones decode back equal; mutated ones (JSON fragments such as bad
     * numbers, broken escapes, lone surrogates, comments, {@code "@class"}; raw invalid UTF-8;
     * nesting beyond the limit; 500–2500-digit numbers; byte-level mutations), decoded as a random
     * message type, and random bytes, and a payload over the control-message size limit: each
     * either decodes to a non-null message or throws {@code ProtocolException}; never another
     * exception type (its Javadoc: "@throws ProtocolException if the payload is not a valid message
     * of that type").
     */
    @Test
    void controlMessagesDecodeOrThrowProtocolException(TestInfo test) {
        int typeCount = FuzzInputs.CONTROL_MESSAGE_TYPES.size();
        assertThat(typeCount).as("control message records").isGreaterThanOrEqualTo(4);
        FuzzHarness.run(test, "messages-decode", FuzzHarness.cases(20_000), (r, c) -> {
            Class<?> encodedType = FuzzInputs.CONTROL_MESSAGE_TYPES.get(r.nextInt(typeCount));
            Object message = FuzzInputs.randomControlMessage(r, encodedType);
            byte[] json = message == null ? "{}".getBytes(StandardCharsets.US_ASCII) : Messages.encode(message);
            StringBuilder log = new StringBuilder("encoded " + message + "; ");
            int mode = r.nextInt(20);
            Class<?> decodeAs = mode < 5 ? encodedType : FuzzInputs.CONTROL_MESSAGE_TYPES.get(r.nextInt(typeCount));
            byte[] payload;
            if (mode < 5) {
                payload = json; // unmutated: must round-trip
            } else if (mode < 17) {
                payload = FuzzInputs.mutateJson(r, json, log);
            } else if (mode < 19) {
                log.append("random bytes; ");
                payload = r.nextBoolean() ? FuzzInputs.randomBytes(r, FuzzInputs.size(r, 512))
                        : FuzzInputs.jsonish(r, FuzzInputs.size(r, 512));
            } else if (r.nextInt(10) == 0) {
                log.append("over the control-message limit; ");
                payload = new byte[Messages.MAX_CONTROL_MESSAGE_LENGTH + 1 + r.nextInt(16)];
                Arrays.fill(payload, (byte) ' ');
                System.arraycopy(json, 0, payload, 0, json.length);
            } else {
                payload = FuzzInputs.mutateJson(r, json, log);
            }
            c.input(payload);
            c.note(log + "decoded as " + decodeAs.getSimpleName());
            Object decoded = null;
            Throwable thrown = null;
            c.begin();
            try {
                decoded = Messages.decode(payload, decodeAs);
            } catch (Throwable t) {
                thrown = t;
            }
            c.end();
            if (thrown != null && !(thrown instanceof ProtocolException)) {
                throw new AssertionError("Messages.decode threw " + thrown.getClass().getName()
                        + "; only ProtocolException is allowed", thrown);
            }
            if (thrown == null) {
                assertThat(decoded).isNotNull().isInstanceOf(decodeAs);
                c.count("accepted");
            } else {
                c.count("rejected");
            }
            if (payload == json && message != null) {
                assertThat(thrown).as("an encoded %s", encodedType.getSimpleName()).isNull();
                assertThat(decoded).as("round trip").isEqualTo(message);
            }
        });
    }
}
