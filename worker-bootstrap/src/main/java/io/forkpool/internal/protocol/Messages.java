package io.forkpool.internal.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON-encoded control messages of the protocol and the one Jackson configuration used for
 * every payload, control or task data. No default typing, no polymorphic type ids: a payload can
 * only ever become the type the receiver asks for.
 */
public final class Messages {

    /** The protocol version this implementation speaks. */
    public static final int PROTOCOL_VERSION = 1;

    /** Deepest nesting of arrays/objects accepted in any payload. */
    public static final int MAX_NESTING_DEPTH = 500;

    /**
     * The first line a worker reads from its standard input: where to connect and how to prove
     * it was spawned by this supervisor.
     *
     * @param protocolVersion the supervisor's protocol version
     * @param socketPath the Unix domain socket to connect to
     * @param token a random secret the worker repeats in its hello
     * @param workerId the worker slot's id, for the worker's thread names and logs
     * @param maxFrameLength the largest payload either side may send
     * @param supervisorPid the supervisor's process id, for the worker's backup parent watch
     * @param supervisorStartMillis the supervisor's start time (epoch millis, as the OS reports it), or 0
     */
    public record Bootstrap(int protocolVersion, String socketPath, String token, int workerId, int maxFrameLength,
            long supervisorPid, long supervisorStartMillis) {
    }

    /**
     * The worker's first frame.
     *
     * @param protocolVersion the protocol version the worker speaks
     * @param pid the worker's process id
     * @param token the token from the bootstrap line
     * @param runtime the worker's runtime and version, e.g. {@code "java 17.0.15"}
     */
    public record Hello(int protocolVersion, long pid, String token, String runtime) {
    }

    /**
     * What a worker reports when a task throws.
     *
     * @param exceptionClass the exception's class name
     * @param message its message, or {@code null}
     * @param stackTrace its printed stack trace, causes included, possibly truncated
     */
    public record TaskFailure(String exceptionClass, String message, String stackTrace) {
    }

    /**
     * How much heap a worker used after its latest task.
     *
     * @param heapUsed bytes in use ({@code totalMemory - freeMemory})
     * @param heapMax the most the heap may grow to ({@code maxMemory})
     */
    public record Status(long heapUsed, long heapMax) {
    }

    private Messages() {
    }

    /**
     * Creates the mapper for payloads: strict limits on nesting and string size so hostile input
     * fails fast instead of exhausting the stack or heap, and unknown properties ignored so later
     * protocol versions can add fields.
     *
     * @param maxFrameLength the frame cap, which also caps any string and the document
     * @return a new mapper
     */
    public static JsonMapper newMapper(int maxFrameLength) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(maxFrameLength)
                .maxDocumentLength(maxFrameLength)
                .build();
        return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(limits).build())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /**
     * Decodes a control message.
     *
     * @param mapper the payload mapper
     * @param payload the frame payload
     * @param type the expected message type
     * @param <T> the message type
     * @return the message
     * @throws ProtocolException if the payload is not a valid message of that type
     */
    public static <T> T decode(JsonMapper mapper, byte[] payload, Class<T> type) throws ProtocolException {
        try {
            T value = mapper.readValue(payload, type);
            if (value == null) {
                throw new ProtocolException(type.getSimpleName() + " payload is JSON null");
            }
            return value;
        } catch (JacksonException e) {
            throw new ProtocolException("invalid " + type.getSimpleName() + " payload "
                    + ProtocolException.hex(payload, 0, payload.length, 64) + ": " + e.getOriginalMessage(), e);
        }
    }
}
