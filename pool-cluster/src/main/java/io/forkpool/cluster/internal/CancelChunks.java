package io.forkpool.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/**
 * A client asks a member to cancel chunks it no longer needs (its batch failed or was cancelled,
 * or the client is closing). Runs on the member's control executor, never behind running chunks.
 */
final class CancelChunks implements Runnable, IdentifiedDataSerializable, HazelcastInstanceAware {

    private static final int MAX_IDS = 1 << 16;

    String clientId;
    long[] chunkIds;
    private transient HazelcastInstance member;

    CancelChunks() {
    }

    CancelChunks(String clientId, long[] chunkIds) {
        this.clientId = clientId;
        this.chunkIds = chunkIds;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    public void run() {
        NodeRuntime runtime = NodeRuntime.of(member);
        if (runtime != null) {
            for (long chunkId : chunkIds) {
                runtime.cancel(clientId, chunkId);
            }
        }
    }

    @Override
    public int getFactoryId() {
        return Messages.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Messages.CANCEL_CHUNKS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(clientId);
        out.writeInt(chunkIds.length);
        for (long id : chunkIds) {
            out.writeLong(id);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        clientId = in.readString();
        int count = in.readInt();
        if (clientId == null || count < 0 || count > MAX_IDS) {
            throw new IOException("malformed cancellation of " + count + " chunks");
        }
        chunkIds = new long[count];
        for (int i = 0; i < count; i++) {
            chunkIds[i] = in.readLong();
        }
    }
}
