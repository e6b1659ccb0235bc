package io.forkpool.cluster.internal;

import io.forkpool.internal.protocol.InputDecodeCheck;
import io.forkpool.internal.protocol.JsonFailures;
import io.forkpool.internal.protocol.TaskTypes;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the client knows of one task class or task method: its name, the codecs of its declared
 * input and output types (and the check that the first input of each class decodes, as on a local
 * pool), and the smallest chunk worth sending, learnt from replies.
 */
final class ClientTaskType {

    /**
     * A chunk should keep its member busy for at least this long, so the round trip to the member
     * (1.6 ms at the median on loopback here, docs/BENCHMARKS.md) is small against it.
     */
    static final long CHUNK_BUDGET_NANOS = 5_000_000;

    final String name;
    /** The declared input and output types, as Java source names them, for messages. */
    final String inputType;
    final String outputType;
    /** Inputs per worker a chunk needs to fill the budget; racy by design, like the local pool's sizing. */
    private volatile int minPerWorker = 1;
    private final ObjectWriter inputWriter;
    private final ObjectReader outputReader;
    private final InputDecodeCheck inputCheck;
    private final int maxDocumentBytes;

    /**
     * @param resolved a task class or task method that passed the checks; named by
     *     {@link TaskTypes.Resolved#name()}, {@code Class::method} for a method
     */
    ClientTaskType(TaskTypes.Resolved resolved, JsonMapper mapper, int maxDocumentBytes) {
        this.name = resolved.name();
        this.inputType = resolved.inputType().toCanonical();
        this.outputType = resolved.outputType().toCanonical();
        this.inputWriter = mapper.writerFor(resolved.inputType());
        this.inputCheck = new InputDecodeCheck(name, resolved.inputType(), mapper);
        this.outputReader = mapper.readerFor(resolved.outputType());
        this.maxDocumentBytes = maxDocumentBytes;
    }

    /**
     * Encodes an input on the submitting thread and, if it is the first of its class, decodes it
     * as a member's worker will.
     *
     * @throws IllegalArgumentException if Jackson cannot encode it, it is too long, or it is the
     *     first of its class and does not decode as the input type
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
        inputCheck.check(input, encoded, 0, encoded.length);
        return encoded;
    }

    /**
     * Encodes every input before any is sent, so that a bad one sends nothing.
     *
     * @throws IllegalArgumentException as {@link #encode} does, for the first bad input
     */
    byte[][] encodeAll(List<?> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        byte[][] encoded = new byte[inputs.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = encode(inputs.get(i));
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
