package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the given number of KiB to System.out, System.err and straight to file descriptor 1,
 * plus a marker line, then returns "printed".
 */
public final class Print implements Task<Integer, String> {

    @Override
    public String execute(Integer kib) throws IOException {
        String junk = "x".repeat(1023) + "\n";
        FileOutputStream rawStdout = new FileOutputStream(FileDescriptor.out);
        for (int i = 0; i < kib; i++) {
            System.out.print(junk);
            System.err.print(junk);
            rawStdout.write(junk.getBytes(StandardCharsets.US_ASCII));
        }
        System.out.println("MARKER from task");
        System.out.flush();
        return "printed";
    }
}
