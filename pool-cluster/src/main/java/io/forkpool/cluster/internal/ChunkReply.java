package io.forkpool.cluster.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.List;

/**
 * A member's answer to a {@link RunChunk}: the encoded outputs in input order, or how the chunk
 * failed; with how long the member's local pool took and how many workers it has alive now,
 * which sizes the member's next chunks.
 */
final class ChunkReply implements IdentifiedDataSerializable {

    /** The outputs, or {@code null} if the chunk failed. */
    List<byte[]> outputs;
    /** Why the chunk failed, or {@code null}. */
    FailureReport failure;
    long executionNanos;
    int workersAlive;

    ChunkReply() {
    }

    static ChunkReply succeeded(List<byte[]> outputs, long executionNanos, int workersAlive) {
        ChunkReply reply = new ChunkReply();
        reply.outputs = outputs;
        reply.executionNanos = executionNanos;
        reply.workersAlive = workersAlive;
        return reply;
    }

    static ChunkReply failed(FailureReport failure, long executionNanos, int workersAlive) {
        ChunkReply reply = new ChunkReply();
        reply.failure = failure;
        reply.executionNanos = executionNanos;
        reply.workersAlive = workersAlive;
        return reply;
    }

    @Override
    public int getFactoryId() {
        return Messages.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Messages.CHUNK_REPLY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(executionNanos);
        out.writeInt(workersAlive);
        out.writeBoolean(failure == null);
        if (failure == null) {
            Messages.writeDocuments(out, outputs);
        } else {
            failure.writeTo(out);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        executionNanos = in.readLong();
        workersAlive = in.readInt();
        if (in.readBoolean()) {
            outputs = Messages.readDocuments(in);
        } else {
            failure = FailureReport.readFrom(in);
        }
    }
}
