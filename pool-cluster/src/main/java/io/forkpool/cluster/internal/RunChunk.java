package io.forkpool.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A client asks a member to run a chunk of one batch's inputs (or one single task) in its local
 * pool. Runs on the member's task executor thread, which waits for the local pool; never throws:
 * every outcome, failures included, is a {@link ChunkReply}.
 */
final class RunChunk implements Callable<ChunkReply>, IdentifiedDataSerializable, HazelcastInstanceAware {

    /** The client's id; a member cancels a client's chunks when it disconnects. */
    String clientId;
    long chunkId;
    String taskClass;
    /** Attempts the member's local pool may use: the task's limit less those lost with members. */
    int maxAttempts;
    /** The per-attempt timeout in milliseconds, or 0 for none. */
    long timeoutMillis;
    List<byte[]> inputs;
    private transient HazelcastInstance member;

    RunChunk() {
    }

    RunChunk(String clientId, long chunkId, String taskClass, int maxAttempts, long timeoutMillis, List<byte[]> inputs) {
        this.clientId = clientId;
        this.chunkId = chunkId;
        this.taskClass = taskClass;
        this.maxAttempts = maxAttempts;
        this.timeoutMillis = timeoutMillis;
        this.inputs = inputs;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    public ChunkReply call() {
        NodeRuntime runtime = NodeRuntime.of(member);
        if (runtime == null) {
            return ChunkReply.failed(FailureReport.unavailable("this member runs no forkpool node"), 0, 0);
        }
        return runtime.run(this);
    }

    @Override
    public int getFactoryId() {
        return Messages.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Messages.RUN_CHUNK;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(clientId);
        out.writeLong(chunkId);
        out.writeString(taskClass);
        out.writeInt(maxAttempts);
        out.writeLong(timeoutMillis);
        Messages.writeDocuments(out, inputs);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        clientId = in.readString();
        chunkId = in.readLong();
        taskClass = in.readString();
        maxAttempts = in.readInt();
        timeoutMillis = in.readLong();
        inputs = Messages.readDocuments(in);
        if (clientId == null || taskClass == null || maxAttempts < 1 || timeoutMillis < 0) {
            throw new IOException("malformed chunk " + chunkId + " from client " + clientId);
        }
    }

    /** @return the key under which the member tracks this chunk while it runs */
    String key() {
        return NodeRuntime.key(clientId, chunkId);
    }
}
