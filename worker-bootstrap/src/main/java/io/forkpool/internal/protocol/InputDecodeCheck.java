package io.forkpool.internal.protocol;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes, on the submitting thread, the first encoded input of each class a task is given, as
 * the task's declared input type, as its worker will: an input that encodes but cannot be decoded
 * (a POJO without a creator, an interface-typed field) then fails {@code submit} at once instead of
 * failing in a worker after a round trip. Once per input class and task: any deserializer the
 * input type has runs once per class in the supervisor too. A later input of a class already
 * checked is not decoded again, so one whose values do not decode still reaches the worker, whose
 * FAILURE names the input stage.
 *
 * <p>Owns the set of input classes found to decode; thread-safe. Two threads that submit the first
 * input of a class at once may both decode it, which is harmless.
 */
public final class InputDecodeCheck {

    private final String taskName;
    private final JavaType inputType;
    private final ObjectReader reader;
    /** The input classes whose first input decoded; a class is added only after it did. */
    private final Set<Class<?>> decodes = ConcurrentHashMap.newKeySet();

    /**
     * @param taskName the task's name, for messages
     * @param inputType its declared input type, as the worker decodes it
     * @param mapper the data mapper, configured as the workers' is
     */
    public InputDecodeCheck(String taskName, JavaType inputType, JsonMapper mapper) {
        this.taskName = taskName;
        this.inputType = inputType;
        this.reader = mapper.readerFor(inputType);
    }

    /**
     * Decodes an encoded input as the declared type, if no input of its class was decoded before.
     *
     * @param input the input that was encoded
     * @param array the array holding its encoding
     * @param offset where the encoding starts
     * @param length its length in bytes
     * @throws IllegalArgumentException if the encoding does not decode as the declared input type
     */
    public void check(Object input, byte[] array, int offset, int length) {
        if (input == null || decodes.contains(input.getClass())) {
            return; // null is written as null, which every type reads
        }
        try {
            reader.readValue(array, offset, length);
        } catch (RuntimeException e) { // a Jackson exception, or whatever a custom deserializer threw
            String why = e instanceof JacksonException j ? j.getOriginalMessage() : e.toString();
            throw new IllegalArgumentException("the input of " + taskName + " (a " + input.getClass().getName()
                    + ") encodes, but cannot be decoded as " + inputType.toCanonical() + ", so no worker could read it: "
                    + why, e);
        }
        decodes.add(input.getClass());
    }
}
