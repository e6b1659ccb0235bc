package io.forkpool.internal.worker;

import io.forkpool.internal.protocol.Messages;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker's Jackson, built on a thread of its own once the hello is out. In a fresh JVM
 * building a mapper takes a few hundred milliseconds and its first use some more; a worker that
 * did it before its hello would keep the supervisor waiting that long for every worker it starts.
 * Built after the hello, it overlaps with what the supervisor does next (accepting the hello,
 * sending the first task), and the first task waits only for what is left.
 *
 * <p>The thread builds the data mapper ({@link Messages#newDataMapper}) and hands it over, then
 * uses it once and builds the control mapper, which the first reply needs for its STATUS: work
 * the thread running the first task would otherwise do while the supervisor waits for that reply.
 */
final class BackgroundMapper implements Supplier<JsonMapper> {

    private final Supplier<JsonMapper> builder;
    private final CompletableFuture<JsonMapper> mapper = new CompletableFuture<>();

    /**
     * Creates the mapper's future; nothing is built before {@link #start}.
     *
     * @param builder builds the data mapper
     */
    BackgroundMapper(Supplier<JsonMapper> builder) {
        this.builder = builder;
    }

    /**
     * The worker's data mapper, {@link Messages#newDataMapper}, to be built in the background.
     *
     * @param maxFrameLength the frame cap
     * @return the mapper's future; nothing is built before {@link #start}
     */
    static BackgroundMapper dataMapper(int maxFrameLength) {
        return new BackgroundMapper(new DataMapperBuilder(maxFrameLength));
    }

    /**
     * Builds the data mapper. A class rather than a lambda: creating a lambda resolves its
     * method's type, and so would load {@code JsonMapper} and its supertypes before the hello.
     */
    private static final class DataMapperBuilder implements Supplier<JsonMapper> {
        private final int maxFrameLength;

        DataMapperBuilder(int maxFrameLength) {
            this.maxFrameLength = maxFrameLength;
        }

        @Override
        public JsonMapper get() {
            return Messages.newDataMapper(maxFrameLength);
        }
    }

    /**
     * Starts building, on a daemon thread.
     *
     * @param workerId for the thread name
     */
    void start(int workerId) {
        Thread builder = new Thread(this::build, "forkpool-worker-" + workerId + "-jackson");
        builder.setDaemon(true);
        builder.start();
    }

    private void build() {
        JsonMapper built;
        try {
            built = builder.get();
        } catch (RuntimeException | Error e) {
            mapper.completeExceptionally(e);
            return;
        }
        mapper.complete(built);
        try {
            // The first read and write of a record, through the data mapper and the control mapper.
            Messages.Status status = built.readValue("{\"heapUsed\":1,\"heapMax\":2}", Messages.Status.class);
            built.writeValueAsBytes(status);
            Messages.encode(status);
        } catch (RuntimeException | Error e) {
            // Only a head start: the first task meets whatever failed here, and deals with it.
        }
    }

    /**
     * The data mapper, waiting for it if it is not built yet; the running thread only, after {@link #start}.
     *
     * @return the mapper
     * @throws IllegalStateException if it could not be built: the worker cannot serve
     */
    @Override
    public JsonMapper get() {
        try {
            return mapper.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the data mapper could not be built: " + e.getCause(), e.getCause());
        }
    }
}
