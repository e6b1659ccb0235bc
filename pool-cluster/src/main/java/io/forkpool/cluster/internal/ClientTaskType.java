package io.forkpool.cluster.internal;

import io.forkpool.internal.protocol.JsonFailures;
import io.forkpool.internal.protocol.TaskTypes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the client knows of one task class: its name, the codecs of its declared input and output
 * types, and the smallest chunk worth sending, learnt from replies.
 */
final class ClientTaskType {

    /**
     * A chunk should keep its member busy for at least this long, so the round trip to the member
     * (1.6 ms at the median on loopback here, docs/BENCHMARKS.md) is small against it.
     */
    static final long CHUNK_BUDGET_NANOS = 5_000_000;

    final String name;
    /** Inputs per worker a chunk needs to fill the budget; racy by design, like the local pool's sizing. */
    private volatile int minPerWorker = 1;
    private final ObjectWriter inputWriter;
    private final ObjectReader outputReader;
    private final int maxDocumentBytes;

    ClientTaskType(Class<?> taskClass, JsonMapper mapper, int maxDocumentBytes) {
        TaskTypes.Resolved resolved = TaskTypes.resolve(mapper.getTypeFactory(), taskClass);
        this.name = taskClass.getName();
        this.inputWriter = mapper.writerFor(resolved.inputType());
        this.outputReader = mapper.readerFor(resolved.outputType());
        this.maxDocumentBytes = maxDocumentBytes;
    }

    /**
     * Encodes an input on the submitting thread.
     *
     * @throws IllegalArgumentException if Jackson cannot encode it, or it is too long
     */
    byte[] encode(Object input) {
        byte[] encoded;
        try {
            encoded = inputWriter.writeValueAsBytes(input);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode the input of " + name + ": " + JsonFailures.describe(e),
                    JsonFailures.causeToKeep(e));
        }
        if (encoded.length > maxDocumentBytes) {
            throw new IllegalArgumentException("the input of " + name + " encodes to " + encoded.length
                    + " bytes, more than maxDocumentBytes " + maxDocumentBytes);
        }
        return encoded;
    }

    /** @return inputs per worker below which a chunk would take less than the budget on its member */
    int minPerWorker() {
        return minPerWorker;
    }

    /**
     * Folds in one answered chunk: a chunk of {@code inputs} on a member of {@code workers} took
     * {@code executionNanos} there. Scales that chunk's inputs per worker by how far it fell from
     * the budget, by at most 2× either way, as the local pool sizes its chunks: a chunk of one input
     * costs a whole round of fixed costs, so its time says little about an input's, while "it took
     * a tenth of the budget" still doubles the next.
     */
    void measured(int inputs, int workers, long executionNanos) {
        double factor = Math.max(0.5, Math.min(2.0, (double) CHUNK_BUDGET_NANOS / Math.max(1, executionNanos)));
        double perWorker = (double) inputs / Math.max(1, workers);
        minPerWorker = (int) Math.max(1, Math.min(Dispatcher.MAX_PER_WORKER, Math.round(perWorker * factor)));
    }

    /** Decodes an output; throws JacksonException if it does not match the output type. */
    Object decode(byte[] output) {
        return outputReader.readValue(output);
    }
}
