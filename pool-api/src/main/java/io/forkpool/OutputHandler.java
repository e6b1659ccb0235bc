package io.forkpool;

/**
 * Receives the outputs of a streaming batch call ({@link WorkerPool#submitAllStreaming}) one by
 * one, as their tasks complete, in completion order rather than input order. Calls come from the
 * pool's threads, possibly several at once for different inputs, so a handler must be thread-safe
 * and quick. A handler that throws fails the batch with that exception.
 *
 * @param <O> the output type
 */
@FunctionalInterface
public interface OutputHandler<O> {

    /**
     * Receives one output.
     *
     * @param index the position of its input in the batch's input list
     * @param output the task's output
     */
    void onOutput(int index, O output);
}
