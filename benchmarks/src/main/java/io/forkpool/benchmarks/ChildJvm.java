package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for the extra JVMs some benchmarks start: this JVM's {@code java} and class path. */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * A JVM with the pool's default worker options, so a baseline process is started exactly like
     * a worker.
     *
     * @param mainClass the class whose {@code main} it runs
     * @param arguments its arguments
     * @return the command
     */
    static List<String> likeAWorker(Class<?> mainClass, String... arguments) {
        return command(WorkerPool.builder().options().jvmOptions(), mainClass, arguments);
    }

    /**
     * A JVM with the given options.
     *
     * @param jvmOptions options before the main class
     * @param mainClass the class whose {@code main} it runs
     * @param arguments its arguments
     * @return the command
     */
    static List<String> command(List<String> jvmOptions, Class<?> mainClass, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(arguments));
        return command;
    }
}
