package io.forkpool.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * The other JVM of the raw framed-echo floor: reads length-prefixed frames on standard input and
 * writes each straight back on standard output, one at a time, nothing else. What a minimal
 * hand-written process pool could do per round trip, with none of forkpool's safety: no task
 * decoding, no threads, no futures.
 */
public final class FramedEcho {

    /** The largest frame the echo accepts; the benchmark sends a few bytes. */
    static final int MAX_FRAME = 1 << 16;

    private FramedEcho() {
    }

    /**
     * Echoes frames until standard input ends.
     *
     * @param args ignored
     * @throws IOException if a frame is malformed or the pipe fails
     */
    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        byte[] payload = new byte[MAX_FRAME];
        while (true) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                return;
            }
            if (length < 0 || length > MAX_FRAME) {
                throw new IOException("bad frame length " + length);
            }
            in.readFully(payload, 0, length);
            out.writeInt(length);
            out.write(payload, 0, length);
            out.flush();
        }
    }
}
