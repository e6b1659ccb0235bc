package io.forkpool.cluster.tasks;

import io.forkpool.Task;
import java.nio.file.Files;
import java.nio.file.Path;

/** Waits until the file named by its input exists (at most a minute), then answers the input's index times two. */
public final class Gate implements Task<Gate.Input, Integer> {

    /** @param index echoed back, doubled @param file the file to wait for */
    public record Input(int index, String file) {
    }

    @Override
    public Integer execute(Input input) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(Path.of(input.file())) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return input.index() * 2;
    }
}
