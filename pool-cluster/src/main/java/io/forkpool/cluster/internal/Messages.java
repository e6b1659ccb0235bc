package io.forkpool.cluster.internal;

import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages between a client and the members, and how they travel: as Hazelcast
 * {@link IdentifiedDataSerializable}s, named on the wire by two numbers (this factory's id and a
 * class id), never by a class name, and created by {@link #FACTORY}, which knows only these
 * classes. Task inputs and outputs inside them are Jackson documents, as between a pool and its
 * workers. Every count read from the wire is checked before anything is allocated for it.
 */
final class Messages {

    /** This factory's id; Hazelcast reserves negative ids for itself. */
    static final int FACTORY_ID = 0x466b70; // "Fkp"

    static final int RUN_CHUNK = 1;
    static final int CHUNK_REPLY = 2;
    static final int CANCEL_CHUNKS = 3;

    /** The most inputs one chunk may carry; the client sends far fewer. */
    static final int MAX_CHUNK_INPUTS = 1 << 16;

    /** Creates the messages by class id; anything else is refused. */
    static final DataSerializableFactory FACTORY = classId -> switch (classId) {
        case RUN_CHUNK -> new RunChunk();
        case CHUNK_REPLY -> new ChunkReply();
        case CANCEL_CHUNKS -> new CancelChunks();
        default -> null;
    };

    private Messages() {
    }

    /**
     * Registers the messages and closes Java serialization to everything but Hazelcast's own and
     * the JDK's classes, so a peer cannot make this JVM deserialize an arbitrary class.
     */
    static void configure(SerializationConfig config) {
        config.addDataSerializableFactory(FACTORY_ID, FACTORY);
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        filter.getWhitelist().addPrefixes("com.hazelcast.", "java.", "[");
        config.setJavaSerializationFilterConfig(filter);
    }

    static void writeDocuments(ObjectDataOutput out, List<byte[]> documents) throws IOException {
        out.writeInt(documents.size());
        for (byte[] document : documents) {
            out.writeByteArray(document);
        }
    }

    static List<byte[]> readDocuments(ObjectDataInput in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_CHUNK_INPUTS) {
            throw new IOException("a chunk of " + count + " documents; at most " + MAX_CHUNK_INPUTS + " are accepted");
        }
        List<byte[]> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] document = in.readByteArray(); // bounded by the received message it is read from
            if (document == null) {
                throw new IOException("document " + i + " of a chunk is missing");
            }
            documents.add(document);
        }
        return documents;
    }
}
