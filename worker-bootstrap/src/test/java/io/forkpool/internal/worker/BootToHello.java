package io.forkpool.internal.worker;

import io.forkpool.internal.protocol.Messages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A worker's way to its hello, in a JVM of its own started with
 * {@code -Xlog:class+load:file=<log>}: it reads the bootstrap line from standard input as
 * {@code WorkerMain} does and runs a {@link WorkerLoop} whose channel, at the hello's write,
 * prints every Jackson class the log lists so far and halts the JVM. The JVM logs each class as
 * it loads it, so these are the Jackson classes loaded before the hello.
 */
public final class BootToHello {

    private BootToHello() {
    }

    /**
     * Runs up to the hello.
     *
     * @param args the class-load log's path
     * @throws IOException if the bootstrap line is invalid
     */
    public static void main(String[] args) throws IOException {
        Path log = Path.of(args[0]);
        Messages.Bootstrap bootstrap = Lifeline.readBootstrap(System.in);
        WritableByteChannel out = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer hello) throws IOException {
                List<String> jackson = Files.readAllLines(log).stream()
                        .filter(line -> line.contains(" tools.jackson.") || line.contains(" com.fasterxml.jackson."))
                        .toList();
                jackson.forEach(System.out::println);
                System.out.println("hello written after " + jackson.size() + " Jackson classes");
                System.out.flush();
                Runtime.getRuntime().halt(0);
                return 0;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        new WorkerLoop(Pipe.open().source(), out, bootstrap.workerId(), bootstrap.maxFrameLength(),
                BootToHello.class.getClassLoader(), Lifeline.allowedTasks(bootstrap))
                .run(WorkerLoop.hello(bootstrap.token()));
    }
}
