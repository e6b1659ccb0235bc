package io.forkpool.runtime.internal;

import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.internal.protocol.TaskTypes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the supervisor knows about one task class, computed once per class and pool: the encoded
 * name prefix of its TASK frames, a writer for its input type and a reader for its output type.
 * Immutable.
 */
final class TaskType {

    private final String name;
    private final byte[] namePrefix;
    private final JavaType outputType;
    private final ObjectWriter inputWriter;
    private final ObjectReader outputReader;

    private TaskType(String name, JavaType inputType, JavaType outputType, JsonMapper mapper) {
        this.name = name;
        this.namePrefix = TaskRequest.encodeName(name);
        this.outputType = outputType;
        this.inputWriter = mapper.writerFor(inputType);
        this.outputReader = mapper.readerFor(outputType);
    }

    /**
     * Checks a class and prepares its codecs.
     *
     * @throws IllegalArgumentException if the class can never run as a task
     */
    static TaskType of(Class<?> taskClass, JsonMapper mapper) {
        TaskTypes.Resolved resolved = TaskTypes.resolve(mapper.getTypeFactory(), taskClass);
        return new TaskType(taskClass.getName(), resolved.inputType(), resolved.outputType(), mapper);
    }

    String name() {
        return name;
    }

    byte[] namePrefix() {
        return namePrefix;
    }

    /**
     * Encodes an input on the submitting thread.
     *
     * @throws IllegalArgumentException if Jackson cannot encode it
     */
    byte[] encodeInput(Object input) {
        try {
            return inputWriter.writeValueAsBytes(input);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode the input of " + name + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Decodes an output document; throws JacksonException if it does not match the output type. */
    Object decodeOutput(byte[] document) {
        return outputReader.readValue(document);
    }

    String outputTypeName() {
        return outputType.toString();
    }
}
