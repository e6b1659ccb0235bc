package io.forkpool.internal.protocol;

import io.forkpool.internal.protocol.JsonCursor.Undecided;
import java.util.List;
import java.util.Optional;

/**
 * Reads a HELLO payload without Jackson: the supervisor's counterpart of {@link HelloEncoder}. A
 * supervisor reads a hello from each worker before the pool is ready, and in a fresh JVM the
 * control mapper's first use loads and initialises most of Jackson (about a second of CPU on the
 * 2-core test machine, taken from the workers that are starting at the same time); reading the
 * hello by hand keeps Jackson off that path.
 *
 * <p>As {@link BootstrapReader} does for the bootstrap line, it decides only the payloads in which
 * every known field has the JSON type a worker writes: an integer in range for
 * {@code protocolVersion} and {@code pid}, a string for {@code token}, a string or {@code null}
 * for {@code runtime}, and {@code null} or an array of strings for {@code features}; fields it
 * does not know are skipped, and a field given twice takes its last value, as with the mapper.
 * Every other payload (a missing or {@code null} token, a {@code null} feature, a number where a
 * string belongs, malformed JSON, a byte-order mark, bytes that are not well-formed UTF-8, deep
 * nesting, a payload longer than {@link #MAX_LENGTH}) it leaves to {@link Messages#decode}, which
 * accepts or rejects it with the same values and messages as before.
 */
public final class HelloReader {

    /** The longest payload decided here, below the control mapper's limits on strings and documents. */
    public static final int MAX_LENGTH = 64 * 1024;

    private final JsonCursor json;

    private HelloReader(byte[] payload) {
        this.json = new JsonCursor(payload);
    }

    /**
     * Reads a HELLO payload, if it is one this reader decides.
     *
     * @param payload the frame's payload
     * @return the hello as {@link Messages#decode} would read it, or empty if it is to be left to it
     */
    public static Optional<Messages.Hello> read(byte[] payload) {
        if (payload.length > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(new HelloReader(payload).hello());
        } catch (Undecided e) {
            return Optional.empty();
        }
    }

    private Messages.Hello hello() throws Undecided {
        Fields f = new Fields();
        json.object(f);
        if (f.token == null) {
            throw Undecided.INSTANCE; // the mapper says what is wrong
        }
        return new Messages.Hello(f.protocolVersion, f.pid, f.token, f.runtime, f.features);
    }

    /** The fields as they are read; a later field of the same name replaces an earlier one, as with the mapper. */
    private final class Fields implements JsonCursor.Member {
        private int protocolVersion;
        private long pid;
        private String token;
        private String runtime;
        private List<String> features;

        /** Reads one member of the object. */
        @Override
        public void read(String name, int first) throws Undecided {
            switch (name) {
                case "protocolVersion" -> protocolVersion = json.intValue(first);
                case "pid" -> pid = json.integer(first);
                case "token" -> token = json.stringOrNull(first);
                case "runtime" -> runtime = json.stringOrNull(first);
                case "features" -> features = json.stringsOrNull(first, false); // a null in it is the mapper's to refuse
                default -> json.skipValue(first); // a field of a later version
            }
        }
    }
}
