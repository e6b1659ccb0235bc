package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.ChildProcess;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no SLF4J provider bound, SLF4J drops every log call: what a task prints would vanish. It
 * goes to the supervisor's standard error instead, tagged with the worker, as a log line would be.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NoLoggingBackendIT {

    @Test
    void aTasksOutputReachesTheSupervisorsStandardErrorWhenNoSlf4jProviderIsBound(@TempDir Path dir)
            throws Exception {
        List<String> classpath = Arrays.stream(ChildJvm.classpathOfThisJvm().split(File.pathSeparator))
                .filter(entry -> !entry.contains("slf4j-simple") && !entry.contains("logback")).toList();
        assertThat(classpath).noneMatch(entry -> entry.contains("slf4j-simple"));
        ChildProcess child = ChildProcess.start(
                ChildJvm.mainClass(NoLoggingSupervisor.class).classpath(classpath).command(),
                dir.resolve("out"), dir.resolve("err"));
        try {
            assertThat(child.awaitExit(Duration.ofSeconds(90))).as("the supervisor ended").isTrue();
            assertThat(child.process().exitValue()).as(child.stderr()).isZero();
            assertThat(child.stdout()).contains("DONE printed");
            String stderr = child.stderr();
            assertThat(stderr).as("SLF4J found no provider").contains("No SLF4J providers were found");
            assertThat(stderr.lines()).anyMatch(line -> line.matches("\\[worker 0 pid \\d+] MARKER from task"));
        } finally {
            child.process().destroyForcibly();
        }
    }
}
