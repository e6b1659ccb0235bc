package io.forkpool.internal.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON-encoded control messages of the protocol and the two Jackson configurations for
 * payloads: one for control messages (small, lenient about fields later versions may add) and one
 * for task data (as large as a frame, strict). Neither enables default typing or polymorphic type
 * ids: a payload can only ever become the type the receiver asks for, and a property such as
 * {@code "@class"} never names a class.
 *
 * <p>A worker reads its bootstrap line and writes its hello without Jackson, to the same values
 * and bytes ({@link BootstrapReader}, {@link HelloEncoder}); the control mapper is built when
 * first used.
 */
public final class Messages {

    /** The protocol version this implementation speaks. */
    public static final int PROTOCOL_VERSION = 1;

    /** The {@link Hello#features()} entry of a worker that accepts {@link FrameType#BATCH} frames. */
    public static final String FEATURE_BATCH = "batch";

    /**
     * The {@link Hello#features()} entry of a worker that answers {@link FrameType#PING} with
     * {@link FrameType#PONG}; a supervisor probes only workers that list it.
     */
    public static final String FEATURE_PING = "ping";

    /** Deepest nesting of arrays/objects accepted in any payload. */
    public static final int MAX_NESTING_DEPTH = 500;

    /**
     * Largest control message (the bootstrap line, HELLO, FAILURE, STATUS), in bytes. A failure
     * report carries at most two 32 Ki-character strings, so 1 MiB leaves room even when every
     * character is escaped.
     */
    public static final int MAX_CONTROL_MESSAGE_LENGTH = 1 << 20;

    /** Longest string, in characters, accepted in a control message. */
    public static final int MAX_CONTROL_STRING_LENGTH = 256 * 1024;

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
     * @param allowedTasks the pool's task allow-list ({@link io.forkpool.spi.TaskAllowList} entries),
     *     or {@code null} from a supervisor that sends none, which allows any task
     */
    public record Bootstrap(int protocolVersion, String socketPath, String token, int workerId, int maxFrameLength,
            long supervisorPid, long supervisorStartMillis, List<String> allowedTasks) {
    }

    /**
     * The worker's first frame.
     *
     * @param protocolVersion the protocol version the worker speaks
     * @param pid the worker's process id
     * @param token the token from the bootstrap line
     * @param runtime the worker's runtime and version, e.g. {@code "java 17.0.15"}
     * @param features the optional messages the worker accepts, such as {@link #FEATURE_BATCH} and
     *     {@link #FEATURE_PING}; empty (and then not written) for none
     */
    public record Hello(int protocolVersion, long pid, String token, String runtime,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> features) {

        /**
         * Requires the token: a hello without one is not a hello. Absent features are none.
         *
         * @param protocolVersion the protocol version the worker speaks
         * @param pid the worker's process id
         * @param token the token from the bootstrap line; not null
         * @param runtime the worker's runtime and version
         * @param features the optional messages the worker accepts, or {@code null} for none; copied
         */
        public Hello {
            Objects.requireNonNull(token, "token");
            features = features == null ? List.of() : List.copyOf(features);
        }

        /**
         * A hello without optional features.
         *
         * @param protocolVersion the protocol version the worker speaks
         * @param pid the worker's process id
         * @param token the token from the bootstrap line; not null
         * @param runtime the worker's runtime and version
         */
        public Hello(int protocolVersion, long pid, String token, String runtime) {
            this(protocolVersion, pid, token, runtime, List.of());
        }

        /** @return whether the worker accepts {@code BATCH} frames */
        public boolean acceptsBatches() {
            return features.contains(FEATURE_BATCH);
        }

        /** @return whether the worker answers {@code PING} frames, so the supervisor may probe it */
        public boolean answersPings() {
            return features.contains(FEATURE_PING);
        }
    }

    /** {@link TaskFailure#stage()}: the input did not decode as the task's input type; the task never ran. */
    public static final String STAGE_INPUT = "input";
    /** {@link TaskFailure#stage()}: the output could not be encoded, or did not fit a frame; the task ran. */
    public static final String STAGE_OUTPUT = "output";

    /**
     * The {@link TaskFailure#exceptionClass()} PROTOCOL.md 4.2 recommends for an input that did not
     * decode, when the worker's decoder has no more specific type (the Java worker sends Jackson's).
     */
    public static final String INPUT_NOT_DECODABLE = "forkpool.InputNotDecodable";
    /**
     * The {@link TaskFailure#exceptionClass()} PROTOCOL.md 4.2 recommends for an output that could
     * not be encoded or did not fit a frame; the Java worker sends it for one that did not fit.
     */
    public static final String OUTPUT_NOT_ENCODABLE = "forkpool.OutputNotEncodable";

    /**
     * What a worker reports when a task throws, or when its data could not cross (PROTOCOL.md 4.2).
     *
     * @param exceptionClass the exception's class name
     * @param message its message, or {@code null}
     * @param stackTrace its printed stack trace, causes included, possibly truncated
     * @param index for a {@code BATCH}, the 0-based position of the input that failed; {@code null}
     *     (and then not written) for a {@code TASK}
     * @param stage where the task's data could not cross, {@link #STAGE_INPUT} or {@link #STAGE_OUTPUT};
     *     {@code null} (and then not written) when the task itself threw, or could not be loaded.
     *     A reader treats any other value as {@code null}
     */
    public record TaskFailure(String exceptionClass, String message, String stackTrace,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer index,
            @JsonInclude(JsonInclude.Include.NON_NULL) String stage) {

        /**
         * Requires the exception's class; a missing stack trace is an empty one.
         *
         * @param exceptionClass the exception's class name; not null
         * @param message its message, or {@code null}
         * @param stackTrace its printed stack trace, or {@code null} for none
         * @param index for a {@code BATCH}, the position of the input that failed; {@code null} for a {@code TASK}
         * @param stage {@link #STAGE_INPUT}, {@link #STAGE_OUTPUT}, or {@code null} when the task threw
         */
        public TaskFailure {
            Objects.requireNonNull(exceptionClass, "exceptionClass");
            stackTrace = stackTrace == null ? "" : stackTrace;
        }

        /**
         * A failure that is not about the task's data.
         *
         * @param exceptionClass the exception's class name; not null
         * @param message its message, or {@code null}
         * @param stackTrace its printed stack trace, or {@code null} for none
         * @param index for a {@code BATCH}, the position of the input that failed; {@code null} for a {@code TASK}
         */
        public TaskFailure(String exceptionClass, String message, String stackTrace, Integer index) {
            this(exceptionClass, message, stackTrace, index, null);
        }

        /**
         * The failure of a {@code TASK}.
         *
         * @param exceptionClass the exception's class name; not null
         * @param message its message, or {@code null}
         * @param stackTrace its printed stack trace, or {@code null} for none
         */
        public TaskFailure(String exceptionClass, String message, String stackTrace) {
            this(exceptionClass, message, stackTrace, null, null);
        }

        /** @return whether the input did not decode: {@link #stage()} is {@link #STAGE_INPUT} */
        public boolean inputStage() {
            return STAGE_INPUT.equals(stage);
        }

        /** @return whether the output could not be encoded: {@link #stage()} is {@link #STAGE_OUTPUT} */
        public boolean outputStage() {
            return STAGE_OUTPUT.equals(stage);
        }
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
     * The control mapper, in a class of its own so that it is built when first used, not when
     * {@link Messages} or its records are: a worker reads its bootstrap line and writes its hello
     * without it ({@link BootstrapReader}, {@link HelloEncoder}), and building it is most of what
     * a fresh JVM would spend before the hello.
     */
    private static final class Control {
        static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(limits(MAX_CONTROL_STRING_LENGTH, MAX_CONTROL_MESSAGE_LENGTH))
                        // A worker choosing property names must not grow the mapper's shared name table.
                        .disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
                        .build())
                // Later protocol versions may add fields; an older receiver ignores them.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // An integer field must be a JSON integer: not "1", 1.0 or true; a string field a
                // JSON string: not 7 or true (PROTOCOL.md 2.2).
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * Creates the mapper for task inputs and outputs, in the worker and in the supervisor alike:
     * any string and the whole document at most a frame, nesting at most {@link #MAX_NESTING_DEPTH}
     * on read and write (so a hostile or accidental 100,000-deep document fails fast instead of
     * overflowing the stack), exactly one document per payload, and unknown properties rejected: a
     * task's declared type decides what its data may contain.
     *
     * <p>A value decodes only from the JSON it is written as, with no coercion (PROTOCOL.md 5): not
     * a number from a string ({@code "25"} as a {@code Long}), an integer type from a number with a
     * fraction or exponent ({@code 1.5}, even {@code 1.0}, as a {@code Long}), a boolean from a
     * number or a string, a string from a number or a boolean, an enum from its index, nor anything
     * but a string from {@code ""}. An integer is a valid floating-point number ({@code 25} as a
     * {@code Double}). NaN and the infinities are neither written nor read ({@link FiniteNumbers}).
     *
     * @param maxFrameLength the frame cap, which also caps any string and the document
     * @return a new mapper
     */
    public static JsonMapper newDataMapper(int maxFrameLength) {
        return JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(limits(maxFrameLength, maxFrameLength))
                        .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                        .addDecorator(FiniteNumbers.REFUSE_ON_WRITE)
                        .build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Strict, as the inputs and outputs of a task in another language must be too.
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .addModule(FiniteNumbers.module())
                .build();
    }

    private static StreamReadConstraints limits(int maxStringLength, int maxDocumentLength) {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(maxStringLength)
                .maxDocumentLength(maxDocumentLength)
                .build();
    }

    /**
     * Encodes a control message.
     *
     * @param message one of this class's records
     * @return its JSON bytes
     */
    public static byte[] encode(Object message) {
        return Control.MAPPER.writeValueAsBytes(message);
    }

    /**
     * Decodes a control message under the control-message limits.
     *
     * @param payload the frame payload
     * @param type the expected message type
     * @param <T> the message type
     * @return the message
     * @throws ProtocolException if the payload is not a valid message of that type
     */
    public static <T> T decode(byte[] payload, Class<T> type) throws ProtocolException {
        try {
            if (payload.length > MAX_CONTROL_MESSAGE_LENGTH) {
                throw new ProtocolException(type.getSimpleName() + " payload of " + payload.length
                        + " bytes exceeds the control-message limit of " + MAX_CONTROL_MESSAGE_LENGTH + ": "
                        + ProtocolException.hex(payload, 0, payload.length, 64));
            }
            T value = Control.MAPPER.readValue(payload, type);
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
