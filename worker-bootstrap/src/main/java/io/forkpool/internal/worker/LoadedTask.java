package io.forkpool.internal.worker;

import io.forkpool.Task;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.internal.protocol.TaskTypes;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A task class's one instance and its codecs: a TASK's input and output, and the arrays of a
 * BATCH (PROTOCOL.md 4.5). Used only by the thread holding the runner role, like
 * {@link TaskRunner#run}.
 *
 * <p>A BATCH's inputs are decoded with one Jackson call, and its outputs encoded with one: done
 * element by element, each call's own overhead (a deserialization or serialization context per
 * element, through layers a cold JVM still interprets) dominates a cold batch of small inputs.
 * Only when that one call fails are the elements taken one at a time, exactly as they were before,
 * to find the index of the one that fails, and the failure it reports.
 */
final class LoadedTask {

    /** The failure of one element of a BATCH's array, or of the array as a whole (index 0). */
    static final class ElementFailure extends Exception {
        private static final long serialVersionUID = 1L;
        /** The element's index in the array, from 0. */
        final int index;

        ElementFailure(Throwable cause, int index) {
            super(null, cause, false, false); // the cause is the failure reported; this only carries its index
            this.index = index;
        }
    }

    /** Collects encoded outputs and fails once they exceed the cap, so an oversized RESULT is never built whole. */
    private static final class CappedBytes extends ByteArrayOutputStream {
        private final int cap;

        CappedBytes(int initialCapacity, int cap) {
            super(initialCapacity);
            this.cap = cap;
        }

        @Override
        public void write(int b) {
            if (count + 1 > cap) {
                throw new IllegalStateException("over " + cap + " bytes");
            }
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if ((long) count + len > cap) {
                throw new IllegalStateException("over " + cap + " bytes");
            }
            super.write(b, off, len);
        }
    }

    private final Task<Object, Object> task;
    private final JsonMapper mapper;
    private final TaskTypes.Resolved types;
    private final ObjectReader inputReader;
    private final ObjectWriter outputWriter;
    /** A BATCH's codecs, built by its first BATCH. */
    private ObjectReader inputsReader;
    private ObjectWriter outputsWriter;
    /** Reads one input of a BATCH's array, where the rest of the array follows it; built for the first failure. */
    private ObjectReader elementReader;
    /** How often a BATCH's array was taken one element at a time, after the one call failed; for tests. */
    private int oneByOne;

    LoadedTask(Task<Object, Object> task, JsonMapper mapper, TaskTypes.Resolved types) {
        this.task = task;
        this.mapper = mapper;
        this.types = types;
        this.inputReader = mapper.readerFor(types.inputType());
        this.outputWriter = mapper.writerFor(types.outputType());
    }

    /** @return the task instance */
    Task<Object, Object> task() {
        return task;
    }

    /** Decodes a TASK's input: exactly one document, strictly (trailing data is an error). */
    Object readInput(byte[] payload, int offset) {
        return inputReader.readValue(payload, offset, payload.length - offset);
    }

    /** Encodes one output. */
    byte[] writeOutput(Object output) {
        return outputWriter.writeValueAsBytes(output);
    }

    /**
     * Decodes a BATCH's inputs: a JSON array of 1 to {@link TaskRequest#MAX_BATCH_INPUTS} of them,
     * with nothing after it.
     *
     * @return the inputs, in order
     * @throws ElementFailure naming the input that did not decode, or 0 for the array as a whole
     */
    Object[] readInputs(byte[] payload, int offset) throws ElementFailure {
        if (inputsReader == null) {
            // The mapper's own features, as for one input: trailing data after the array fails it.
            inputsReader = mapper.readerFor(mapper.getTypeFactory().constructArrayType(types.inputType()));
        }
        try {
            Object[] inputs = inputsReader.readValue(payload, offset, payload.length - offset);
            if (inputs != null && inputs.length >= 1 && inputs.length <= TaskRequest.MAX_BATCH_INPUTS) {
                return inputs;
            }
        } catch (Throwable t) {
            // What failed, and where, is found below, as it always was.
        }
        oneByOne++;
        List<Object> decoded = new ArrayList<>();
        try {
            readInputsOneByOne(payload, offset, decoded);
        } catch (Throwable t) {
            throw new ElementFailure(t, decoded.size()); // the input that did not decode, or 0
        }
        return decoded.toArray();
    }

    /** Decodes a JSON array of 1 to {@link TaskRequest#MAX_BATCH_INPUTS} inputs; {@code into} holds those decoded before a failure. */
    private void readInputsOneByOne(byte[] payload, int offset, List<Object> into) {
        if (elementReader == null) {
            elementReader = inputReader.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
        try (JsonParser parser = mapper.createParser(payload, offset, payload.length - offset)) {
            if (nextToken(parser, into) != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("the inputs of a BATCH must be a JSON array");
            }
            while (nextToken(parser, into) != JsonToken.END_ARRAY) {
                if (into.size() == TaskRequest.MAX_BATCH_INPUTS) {
                    into.clear(); // the failure is the array's: index 0
                    throw new IllegalArgumentException("a BATCH holds at most " + TaskRequest.MAX_BATCH_INPUTS + " inputs");
                }
                into.add(elementReader.readValue(parser));
            }
            if (into.isEmpty()) {
                throw new IllegalArgumentException("a BATCH holds at least one input");
            }
            if (nextToken(parser, into) != null) {
                into.clear();
                throw new IllegalArgumentException("trailing data after the inputs of a BATCH");
            }
        }
    }

    /** The next token; malformed JSON is the array's failure (index 0), not an element's. */
    private static JsonToken nextToken(JsonParser parser, List<Object> decoded) {
        try {
            return parser.nextToken();
        } catch (RuntimeException e) {
            // Not a catch of StreamReadException, so that verifying this class loads none of
            // Jackson's exception classes (it once lived in TaskRunner, created before the hello).
            if (e instanceof StreamReadException) {
                decoded.clear();
            }
            throw e;
        }
    }

    /**
     * Encodes a BATCH's outputs as one JSON array of at most {@code maxFrameLength} bytes.
     *
     * @param outputs one output per input, in order
     * @param maxFrameLength the most the array may take
     * @return the array
     * @throws ElementFailure naming the first output that cannot be encoded, or that takes the
     *     array past {@code maxFrameLength}
     */
    byte[] writeOutputs(Object[] outputs, int maxFrameLength) throws ElementFailure {
        if (outputsWriter == null) {
            outputsWriter = mapper.writerFor(mapper.getTypeFactory().constructArrayType(types.outputType()));
        }
        try {
            // An array of the declared type, as the writer insists: an output of another type
            // fails the copy, as it fails its own writer's check of the root type below.
            Object[] typed = (Object[]) Array.newInstance(types.outputType().getRawClass(), outputs.length);
            System.arraycopy(outputs, 0, typed, 0, outputs.length);
            CappedBytes out = new CappedBytes(initialCapacity(outputs.length, maxFrameLength), maxFrameLength);
            outputsWriter.writeValue(out, typed);
            return out.toByteArray();
        } catch (Throwable t) {
            // What failed, and where, is found below, as it always was.
        }
        oneByOne++;
        ByteArrayOutputStream out = new ByteArrayOutputStream(initialCapacity(outputs.length, maxFrameLength));
        int index = 0;
        try (JsonGenerator generator = mapper.createGenerator(out)) {
            generator.writeStartArray();
            for (; index < outputs.length; index++) {
                outputWriter.writeValue(generator, outputs[index]);
                generator.flush();
                if (out.size() + 1 > maxFrameLength) { // the closing bracket must fit too
                    throw new OwnFailure(Messages.OUTPUT_NOT_ENCODABLE, "outputs of " + (out.size() + 1)
                            + " bytes up to input " + index + " exceed maxFrameLength " + maxFrameLength, null);
                }
            }
            generator.writeEndArray();
        } catch (Throwable t) {
            throw new ElementFailure(t, index);
        }
        return out.toByteArray();
    }

    /** @return how often a BATCH's array was decoded or encoded one element at a time, the one call having failed */
    int oneByOne() {
        return oneByOne;
    }

    private static int initialCapacity(int outputs, int maxFrameLength) {
        return Math.min(maxFrameLength, 64 + 16 * outputs);
    }
}
