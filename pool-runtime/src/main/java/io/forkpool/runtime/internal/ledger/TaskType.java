package io.forkpool.runtime.internal.ledger;

import io.forkpool.internal.protocol.InputDecodeCheck;
import io.forkpool.internal.protocol.JsonFailures;
import io.forkpool.internal.protocol.ProtocolException;
import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.internal.protocol.TaskTypes;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the supervisor knows about one task class, computed once per class and pool: the encoded
 * name prefix of its TASK frames, a writer for its input type and a reader for its output type;
 * and what it has measured of it so far (the chunk size that takes about a millisecond, bytes per
 * output), which sizes chunks.
 *
 * <p>A batch is encoded and decoded whole, one Jackson call each way, rather than input by input:
 * creating a generator, a parser and their contexts per element is most of what a small input
 * costs. Each falls back to the element-by-element way when it fails, so that a failure is
 * reported exactly as that way reports it, naming the same input.
 *
 * <p>A task class may also be known by name only ({@link #documents}): its inputs are then already
 * encoded JSON documents and its outputs are handed over as the documents the worker wrote, so a
 * caller that holds encoded inputs (a cluster node) neither decodes nor re-encodes them. The
 * worker still reads them as the task's declared types.
 */
public final class TaskType {

    /** The work one chunk aims at: far above the ~0.1 ms a round trip costs, far below a user's patience. */
    public static final long CHUNK_BUDGET_NANOS = 1_000_000;

    /** The most one reply grows the next chunk by; it shrinks it by at most 2. */
    static final double MAX_GROWTH = 16;

    private final String name;
    private final byte[] namePrefix;
    /** The declared input type, or {@code null} for a task known by name only. */
    private final JavaType inputType;
    /** Decodes the first input of each class at submit; {@code null} for a task known by name only. */
    private final InputDecodeCheck inputCheck;
    /** The declared output type, or {@code null} for a task known by name only. */
    private final JavaType outputType;
    private final ObjectWriter inputWriter;
    /**
     * Writes a batch's inputs as a run of root values separated by commas, each exactly as
     * {@link #inputWriter} writes it alone (the same root serializer, nesting counted per input);
     * {@code null} when only that writer can say how an input is written.
     */
    private final ObjectWriter inputsWriter;
    /** The input type's class: a batch holding anything else is encoded input by input, which reports it. */
    private final Class<?> inputClass;
    private final ObjectReader outputReader;
    /** Reads one output of a chunk's array; the rest of the array follows it. */
    private final ObjectReader outputElementReader;
    /** Reads a chunk's whole array of outputs, each element as {@link #outputElementReader} would. */
    private final ObjectReader outputArrayReader;
    /** Bytes per encoded input of the last batch, to size the next one's buffer. */
    private volatile int bytesPerInput = 16;
    private volatile int chunkInputs = -1;
    private volatile long bytesPerOutput = -1;

    private TaskType(String name, JavaType inputType, JavaType outputType, JsonMapper mapper) {
        this.name = name;
        this.namePrefix = TaskRequest.encodeName(name);
        this.inputType = inputType;
        this.outputType = outputType;
        boolean typed = outputType != null;
        this.inputCheck = typed ? new InputDecodeCheck(name, inputType, mapper) : null;
        this.inputWriter = typed ? mapper.writerFor(inputType) : null;
        this.outputReader = typed ? mapper.readerFor(outputType) : mapper.reader();
        this.outputElementReader = typed ? outputReader.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) : null;
        this.outputArrayReader = typed
                ? outputElementReader.forType(mapper.getTypeFactory().constructArrayType(outputType))
                : null;
        // The writer's root serializer, found once, serves every input of a sequence as it serves
        // one input; without one (an Object input, or a type whose serializer could not be
        // prefetched) a sequence would look serializers up by each input's class, as the writer
        // alone does only for Object.
        this.inputClass = typed ? inputType.getRawClass() : null;
        this.inputsWriter = typed && (inputWriter.hasPrefetchedSerializer() || inputClass == Object.class)
                ? inputWriter.withRootValueSeparator(",").without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                : null;
    }

    /**
     * A task class known by name only, whose inputs and outputs are JSON documents ({@code byte[]}).
     *
     * @param name the task's class name, as the workers will load it
     * @param mapper the pool's mapper, for its parser limits
     * @return its type
     */
    public static TaskType documents(String name, JsonMapper mapper) {
        return new TaskType(name, null, null, mapper);
    }

    /**
     * Checks a class and prepares its codecs.
     *
     * @throws IllegalArgumentException if the class can never run as a task
     * @param taskClass a task class
     * @param mapper the pool's data mapper
     * @return its type
     */
    public static TaskType of(Class<?> taskClass, JsonMapper mapper) {
        return of(TaskTypes.resolve(mapper.getTypeFactory(), taskClass), mapper);
    }

    /**
     * Prepares the codecs of a task method, named {@code Class::method}, whose types come from its
     * generic signature.
     *
     * @param method a method that passed {@link io.forkpool.internal.protocol.TaskMethods#find}
     * @param mapper the pool's data mapper
     * @return its type
     */
    public static TaskType of(Method method, JsonMapper mapper) {
        return of(TaskTypes.resolve(mapper.getTypeFactory(), method), mapper);
    }

    /**
     * Prepares the codecs of a resolved task: a class, a method, or a task known by name only
     * with the types its caller stated.
     *
     * @param resolved the task's name and types
     * @param mapper the pool's data mapper
     * @return its type
     */
    public static TaskType of(TaskTypes.Resolved resolved, JsonMapper mapper) {
        return new TaskType(resolved.name(), resolved.inputType(), resolved.outputType(), mapper);
    }

    /** @return the task's name, as the workers load it: a class's, or {@code Class::method} */
    public String name() {
        return name;
    }

    /** @return the encoded name that starts each of its TASK and BATCH payloads */
    public byte[] namePrefix() {
        return namePrefix;
    }

    /**
     * Encodes an input on the submitting thread.
     *
     * @throws IllegalArgumentException if Jackson cannot encode it
     */
    byte[] encodeInput(Object input) {
        if (inputWriter == null) {
            return (byte[]) input;
        }
        try {
            return inputWriter.writeValueAsBytes(input);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode the input of " + name + ": " + JsonFailures.describe(e),
                    JsonFailures.causeToKeep(e));
        }
    }

    /**
     * Decodes an encoded input as the input type, as a worker will, if it is the first of its class
     * ({@link InputDecodeCheck}); nothing for a task known by name only.
     *
     * @throws IllegalArgumentException if it does not decode
     */
    void checkDecodes(Object input, byte[] array, int offset, int length) {
        if (inputCheck != null) {
            inputCheck.check(input, array, offset, length);
        }
    }

    /**
     * Encodes a batch's inputs with one Jackson call, as one JSON array, on the submitting thread.
     * Each input is encoded exactly as {@link #encodeInput} encodes it alone: the array's
     * elements are the same root values, written by the same serializer, and separated by
     * commas. Nothing is checked here: when this answers {@code null} the caller encodes the
     * inputs one by one, which reports a bad input as it always has.
     *
     * @param inputs the inputs, in order
     * @return the encoded inputs, or {@code null} if they cannot all be encoded this way: a task
     *     known by name only (its inputs are documents already), an input Jackson cannot encode or
     *     that is not of the input type, or encodings that are not one JSON value each
     */
    EncodedInputs encodeInputs(List<?> inputs) {
        return encodeInputs(inputs, EncodedInputs.MAX_ARRAY_CONTENT);
    }

    /** As {@link #encodeInputs(List)}, giving up once the inputs take more than {@code maxBytes} in all. */
    EncodedInputs encodeInputs(List<?> inputs, int maxBytes) {
        if (inputsWriter == null) {
            return null;
        }
        int count = inputs.size();
        if (inputClass != Object.class) {
            for (Object input : inputs) {
                if (input != null && !inputClass.isInstance(input)) {
                    return null; // the writer alone refuses it, with its own message
                }
            }
        }
        // Sized as the last batch's inputs were, up to 16 MiB, and grown past that as needed: a
        // batch of large inputs must not make the next, longer batch of small ones allocate a
        // gigabyte up front.
        long expected = 2 + (long) count * (bytesPerInput + 1);
        ArraySink sink = new ArraySink((int) Math.min(Math.min(maxBytes, 16 << 20), expected), maxBytes + 2L);
        try {
            sink.write('[');
            try (SequenceWriter values = inputsWriter.writeValues(sink)) {
                values.writeAll(inputs);
            }
            sink.write(']');
        } catch (RuntimeException e) {
            return null; // the inputs one by one say which one, and why
        }
        if (count > 0) {
            bytesPerInput = Math.max(1, (sink.size - 2) / count);
        }
        return EncodedInputs.scanned(sink.trimmed(), sink.size, count);
    }

    /** A growing byte array for one batch's inputs, which refuses to grow past a limit. */
    private static final class ArraySink extends OutputStream {
        private byte[] bytes;
        private int size;
        private final long limit;

        ArraySink(int capacity, long limit) {
            this.bytes = new byte[Math.max(16, capacity)];
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        private void ensure(int more) {
            long needed = (long) size + more;
            if (needed > limit) {
                throw new IllegalStateException("a batch's inputs take more than " + (limit - 2) + " bytes");
            }
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(needed, 2L * bytes.length)));
            }
        }

        /** @return the bytes, copied into an array of their length only if much of it would go unused */
        byte[] trimmed() {
            return bytes.length - size > size / 4 ? Arrays.copyOf(bytes, size) : bytes;
        }
    }

    /**
     * Decodes an output document; throws JacksonException if it does not match the output type.
     * @param document the JSON document the worker wrote
     * @return the output, or the document itself for a task known by name only
     */
    public Object decodeOutput(byte[] document) {
        return outputType == null ? document : outputReader.readValue(document);
    }

    /** @return its output type, for messages */
    public String outputTypeName() {
        return outputType == null ? "a JSON document" : outputType.toString();
    }

    /** @return its declared input type as Java source names it, or {@code null} for a task known by name only */
    public String declaredInputType() {
        return inputType == null ? null : inputType.toCanonical();
    }

    /** @return its declared output type as Java source names it, or {@code null} for a task known by name only */
    public String declaredOutputType() {
        return outputType == null ? null : outputType.toCanonical();
    }

    /**
     * Decodes the RESULT of a BATCH: a JSON array of exactly {@code count} outputs.
     *
     * @throws ProtocolException if the document is not such an array (the worker broke the protocol)
     * @throws UndecodableOutputException if an element does not decode as the output type (the
     *     task's fault), naming the element
     * @param document the JSON document the worker wrote
     * @param count how many outputs the chunk must hold
     * @return one output per input, in order
     */
    public Object[] decodeOutputs(byte[] document, int count) throws ProtocolException {
        if (outputType != null) {
            try {
                Object[] outputs = decodeArray(document, count);
                if (outputs != null) {
                    return outputs;
                }
            } catch (RuntimeException e) {
                // an output that does not decode, or JSON that does not parse: output by output
                // names the same fault, at the same output, as it always has
            }
        }
        return decodeEach(document, count);
    }

    /**
     * Decodes a typed RESULT with one call of the array reader, whose elements are read with the
     * same features as {@link #outputElementReader} reads each alone.
     *
     * @return the outputs, or {@code null} if the document is not an array of {@code count}
     *     outputs and nothing else, which {@link #decodeEach} then reports
     */
    Object[] decodeArray(byte[] document, int count) {
        try (JsonParser parser = outputArrayReader.createParser(document)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            Object[] outputs = outputArrayReader.readValue(parser);
            return outputs.length == count && parser.nextToken() == null ? outputs : null;
        }
    }

    /** Decodes a RESULT output by output, which tells exactly where and how it breaks the protocol or the output type. */
    Object[] decodeEach(byte[] document, int count) throws ProtocolException {
        Object[] outputs = new Object[count];
        int n = 0;
        try (JsonParser parser = outputReader.createParser(document)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new ProtocolException("the RESULT of a BATCH is not a JSON array");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (n == count) {
                    throw new ProtocolException("the RESULT of a BATCH of " + count + " holds more outputs");
                }
                outputs[n] = outputType == null ? element(parser, document) : readElement(parser, n);
                n++;
            }
            if (n != count) {
                throw new ProtocolException("the RESULT of a BATCH of " + count + " holds " + n + " outputs");
            }
            if (parser.nextToken() != null) {
                throw new ProtocolException("trailing data after the RESULT of a BATCH");
            }
        } catch (StreamReadException e) {
            throw new ProtocolException("the RESULT of a BATCH is not valid JSON: " + e.getOriginalMessage());
        }
        return outputs;
    }

    /** Reads the output the parser stands on; one that does not decode is named by its index. */
    private Object readElement(JsonParser parser, int index) {
        try {
            return outputElementReader.readValue(parser);
        } catch (DatabindException e) {
            throw new UndecodableOutputException(index, e);
        }
    }

    /** Copies out the element the parser stands on, as the worker wrote it, and leaves the parser on its last token. */
    private static byte[] element(JsonParser parser, byte[] document) {
        int from = (int) parser.currentTokenLocation().getByteOffset();
        if (parser.currentToken().isStructStart()) {
            parser.skipChildren();
        } else {
            parser.finishToken(); // a string is read lazily: its end is known only once it is read
        }
        int to = (int) parser.currentLocation().getByteOffset();
        return Arrays.copyOfRange(document, from, to);
    }

    /** @return how many inputs the next chunk should hold by the time measurements so far, or -1 before any */
    public int chunkInputs() {
        return chunkInputs;
    }

    /** @return the measured bytes per encoded output, or -1 before any was measured */
    public long bytesPerOutput() {
        return bytesPerOutput;
    }

    /**
     * Folds in one answered task or chunk: how long it was its worker's running task, how many
     * inputs it held and how large its reply was. The next chunk is this one scaled by how far its
     * time fell from {@link #CHUNK_BUDGET_NANOS}: grown by up to {@link #MAX_GROWTH} (a chunk far
     * below the budget reaches it in two or three replies, not ten), shrunk by at most 2 (one
     * slow chunk, a pause or a cold worker, does not throw away what was learnt). Scaling the
     * measured chunk, rather than dividing the budget by a time per input, lets chunks grow past
     * the cost of a round trip: a chunk of one input costs a whole round trip, so its time per
     * input says nothing about how cheap an input is, while "it took a tenth of the budget" still
     * grows it tenfold, and as the round trip's share falls, the next step grows more.
     * Racy by design: two io threads may update it at once and one update is lost.
     * @param serviceNanos how long the chunk ran, or a negative value if unknown
     * @param inputs how many inputs it held
     * @param replyBytes the length of its RESULT payload
     */
    public void measured(long serviceNanos, int inputs, int replyBytes) {
        if (serviceNanos < 0) {
            return;
        }
        bytesPerOutput = average(bytesPerOutput, Math.max(1, replyBytes / inputs));
        double factor = Math.max(0.5, Math.min(MAX_GROWTH, (double) CHUNK_BUDGET_NANOS / Math.max(1, serviceNanos)));
        chunkInputs = (int) Math.max(1, Math.min(TaskRequest.MAX_BATCH_INPUTS, Math.round(inputs * factor)));
    }

    private static long average(long previous, long sample) {
        return previous < 0 ? sample : previous + (sample - previous) / 4;
    }
}
