package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the given number of KiB through each path that can reach file descriptor 1: System.out,
 * a raw FileOutputStream on FileDescriptor.out, and a child process with inheritIO(). Returns the
 * input, so the caller can check each task's own answer.
 */
public final class PrintEverywhere implements Task<Integer, Integer> {

    @Override
    public Integer execute(Integer kib) throws IOException, InterruptedException {
        byte[] line = ("y".repeat(1023) + "\n").getBytes(StandardCharsets.US_ASCII);
        FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
        for (int i = 0; i < kib; i++) {
            System.out.write(line);
            fd1.write(line);
        }
        System.out.flush();
        Process child = new ProcessBuilder("head", "-c", String.valueOf(kib * 1024), "/dev/zero").inheritIO().start();
        if (child.waitFor() != 0) {
            throw new IllegalStateException("head failed");
        }
        return kib;
    }
}
