package io.forkpool.cluster.internal;

import io.forkpool.internal.protocol.TaskTypes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** What the client knows of one task class: its name and the codecs of its declared input and output types. */
final class ClientTaskType {

    final String name;
    private final ObjectWriter inputWriter;
    private final ObjectReader outputReader;
    private final int maxDocumentBytes;

    ClientTaskType(Class<?> taskClass, JsonMapper mapper, int maxDocumentBytes) {
        TaskTypes.Resolved resolved = TaskTypes.resolve(mapper.getTypeFactory(), taskClass);
        this.name = taskClass.getName();
        this.inputWriter = mapper.writerFor(resolved.inputType());
        this.outputReader = mapper.readerFor(resolved.outputType());
        this.maxDocumentBytes = maxDocumentBytes;
    }

    /**
     * Encodes an input on the submitting thread.
     *
     * @throws IllegalArgumentException if Jackson cannot encode it, or it is too long
     */
    byte[] encode(Object input) {
        byte[] encoded;
        try {
            encoded = inputWriter.writeValueAsBytes(input);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode the input of " + name + ": " + e.getOriginalMessage(), e);
        }
        if (encoded.length > maxDocumentBytes) {
            throw new IllegalArgumentException("the input of " + name + " encodes to " + encoded.length
                    + " bytes, more than maxDocumentBytes " + maxDocumentBytes);
        }
        return encoded;
    }

    /** Decodes an output; throws JacksonException if it does not match the output type. */
    Object decode(byte[] output) {
        return outputReader.readValue(output);
    }
}
