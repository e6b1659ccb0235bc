package io.forkpool.internal.worker;

import io.forkpool.Task;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.lang.reflect.Field;
import java.nio.file.Path;

/**
 * A test task that does what a hostile or careless task could: closes every socket descriptor of
 * its process (the worker's socket, and the JDK's own one for waking blocked readers), found in
 * {@code /proc/self/fd} and closed through a {@link FileDescriptor} whose number it sets with
 * {@code sun.misc.Unsafe}. Then it returns ({@code "return"}) or holds its thread for a minute
 * ({@code "hold"}), so that no reply is written.
 */
public final class CloseSockets implements Task<String, String> {

    @Override
    public String execute(String mode) throws Exception {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Object unsafe = theUnsafe.get(null);
        long offset = (long) unsafeClass.getMethod("objectFieldOffset", Field.class)
                .invoke(unsafe, FileDescriptor.class.getDeclaredField("fd"));
        for (Path socket : ChannelWatch.sockets().keySet()) {
            FileDescriptor descriptor = new FileDescriptor();
            unsafeClass.getMethod("putInt", Object.class, long.class, int.class)
                    .invoke(unsafe, descriptor, offset, Integer.parseInt(socket.getFileName().toString()));
            new FileInputStream(descriptor).close();
        }
        if (mode.equals("hold")) {
            Thread.sleep(60_000);
        }
        return mode;
    }
}
