package io.forkpool.internal.protocol;

import io.forkpool.internal.protocol.JsonCursor.Undecided;
import java.util.List;
import java.util.Optional;

/**
 * Reads the bootstrap line without Jackson. A worker reads this line first, and in a fresh JVM
 * building a Jackson mapper and using it once costs a few hundred milliseconds, most of a worker's
 * start-up: reading the line by hand lets the worker say hello before it loads any of Jackson.
 *
 * <p>It reads JSON (RFC 8259) in plain UTF-8, skipping the fields it does not know as
 * {@link Messages}' control mapper does, and decides every line in which each known field has the
 * JSON type the supervisor writes: an integer where {@link Messages.Bootstrap} has an {@code int}
 * or {@code long} (and in its range), a string or {@code null} where it has a string, and
 * {@code null} or an array of strings and {@code null}s for {@code allowedTasks}; a field given
 * twice takes its last value, as with the mapper. Every other line (malformed JSON, a number where
 * a string belongs, a byte-order mark, bytes that are not well-formed UTF-8, nesting deeper than
 * {@link Messages#MAX_NESTING_DEPTH}, a number longer than {@link JsonCursor#MAX_NUMBER_LENGTH}
 * bytes) it leaves to {@link Messages#decode}, which accepts or rejects it with the same values
 * and messages as before. This reader only accepts lines the mapper reads to the same record, so
 * a worker's answer to any line is what it always was, and only a line no supervisor writes costs
 * it the mapper.
 *
 * <p>Nothing is allocated before it is bounded: lines longer than {@link #MAX_LINE_LENGTH} are
 * left to the mapper (so no string or name read here can exceed the mapper's limits), and nesting
 * is counted, not recursed into.
 */
public final class BootstrapReader {

    /**
     * The longest line decided here: the bootstrap line's limit, below the control mapper's limits
     * on strings, property names and documents.
     */
    public static final int MAX_LINE_LENGTH = 16 * 1024;

    private final JsonCursor json;

    private BootstrapReader(byte[] line) {
        this.json = new JsonCursor(line);
    }

    /**
     * Reads a bootstrap line, if it is one this reader decides.
     *
     * @param line the line without its {@code \n}
     * @return the fields as {@link Messages#decode} would read them (not yet validated), or empty
     *     if the line is to be left to it
     */
    public static Optional<Messages.Bootstrap> read(byte[] line) {
        if (line.length > MAX_LINE_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BootstrapReader(line).bootstrap());
        } catch (Undecided e) {
            return Optional.empty();
        }
    }

    private Messages.Bootstrap bootstrap() throws Undecided {
        Fields f = new Fields();
        json.object(f);
        return new Messages.Bootstrap(f.protocolVersion, f.socketPath, f.token, f.workerId, f.maxFrameLength,
                f.supervisorPid, f.supervisorStartMillis, f.allowedTasks);
    }

    /**
     * The fields as they are read; a later field of the same name replaces an earlier one, as with
     * the mapper. A class, not a lambda: a worker reads its bootstrap line before anything else.
     */
    private final class Fields implements JsonCursor.Member {
        private int protocolVersion;
        private String socketPath;
        private String token;
        private int workerId;
        private int maxFrameLength;
        private long supervisorPid;
        private long supervisorStartMillis;
        private List<String> allowedTasks;

        /** Reads one member of the object. */
        @Override
        public void read(String name, int first) throws Undecided {
            switch (name) {
                case "protocolVersion" -> protocolVersion = json.intValue(first);
                case "socketPath" -> socketPath = json.stringOrNull(first);
                case "token" -> token = json.stringOrNull(first);
                case "workerId" -> workerId = json.intValue(first);
                case "maxFrameLength" -> maxFrameLength = json.intValue(first);
                case "supervisorPid" -> supervisorPid = json.integer(first);
                case "supervisorStartMillis" -> supervisorStartMillis = json.integer(first);
                case "allowedTasks" -> allowedTasks = json.stringsOrNull(first, true);
                default -> json.skipValue(first); // a field of a later version
            }
        }
    }
}
