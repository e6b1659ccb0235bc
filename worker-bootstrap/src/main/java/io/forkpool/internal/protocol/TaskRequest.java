package io.forkpool.internal.protocol;

import io.forkpool.PoolOptions;
import java.nio.charset.StandardCharsets;

/**
 * The payload of a {@link FrameType#TASK} frame: the task class's binary name, then the input. A
 * {@link FrameType#BATCH} has the same layout, its input a JSON array of inputs.
 *
 * <pre>
 * +-------------------+--------------------+--------------+---------------------------+
 * | name length (u16) | class name (UTF-8) | attempt (u8) | input (one JSON document) |
 * +-------------------+--------------------+--------------+---------------------------+
 * </pre>
 *
 * The class name is kept out of the JSON so the input is one plain document that the worker reads
 * as the task's declared input type, never a type named by the sender.
 *
 * @param taskClass the task class's binary name (as {@link Class#getName()})
 * @param attempt which attempt this is, from 1
 * @param inputOffset where the input document starts in the payload
 */
public record TaskRequest(String taskClass, int attempt, int inputOffset) {

    /** Longest task class name accepted, in UTF-8 bytes. */
    public static final int MAX_NAME_LENGTH = 0xFFFF;

    /** The most inputs one {@link FrameType#BATCH} may carry. */
    public static final int MAX_BATCH_INPUTS = 65_536;

    /**
     * Encodes the name prefix once per task class.
     *
     * @param taskClass the binary class name
     * @return the length-prefixed UTF-8 name
     */
    public static byte[] encodeName(String taskClass) {
        byte[] name = taskClass.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("task class name must be 1.." + MAX_NAME_LENGTH + " bytes: " + name.length);
        }
        byte[] prefix = new byte[2 + name.length];
        prefix[0] = (byte) (name.length >>> 8);
        prefix[1] = (byte) name.length;
        System.arraycopy(name, 0, prefix, 2, name.length);
        return prefix;
    }

    /**
     * Parses the prefix of a task payload.
     *
     * @param payload the frame payload
     * @return the class name and where the input starts
     * @throws ProtocolException if the prefix is truncated or empty
     */
    public static TaskRequest parse(byte[] payload) throws ProtocolException {
        if (payload.length < 2) {
            throw new ProtocolException("TASK payload too short for its name length: "
                    + ProtocolException.hex(payload, 0, payload.length, 16));
        }
        int nameLength = (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
        if (nameLength == 0 || 2 + nameLength + 1 > payload.length) {
            throw new ProtocolException("TASK name length " + nameLength + " does not fit a payload of "
                    + payload.length + " bytes: " + ProtocolException.hex(payload, 0, payload.length, 32));
        }
        int attempt = payload[2 + nameLength] & 0xFF;
        if (attempt == 0 || attempt > PoolOptions.MAX_ATTEMPTS) {
            throw new ProtocolException("TASK attempt must be in [1, " + PoolOptions.MAX_ATTEMPTS + "], got " + attempt
                    + ": " + ProtocolException.hex(payload, 0, payload.length, 32));
        }
        return new TaskRequest(new String(payload, 2, nameLength, StandardCharsets.UTF_8), attempt,
                2 + nameLength + 1);
    }
}
