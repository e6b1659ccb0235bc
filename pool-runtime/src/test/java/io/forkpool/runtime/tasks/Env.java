package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import java.util.List;

/** Returns the value of an environment variable, the working directory and the JVM's input arguments. */
public final class Env implements Task<String, List<String>> {

    @Override
    public List<String> execute(String variable) {
        return List.of(String.valueOf(System.getenv(variable)), System.getProperty("user.dir"),
                String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }
}
