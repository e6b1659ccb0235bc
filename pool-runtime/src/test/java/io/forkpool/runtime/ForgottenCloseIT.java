package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.itapp.ForgetfulApp;
import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.ChildProcess;
import io.forkpool.testsupport.Gate;
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
 * An application that returns from {@code main} without closing its pool: the shutdown hook
 * cancels the four tasks it submitted, and says so with a WARN, in the log or, with no SLF4J
 * provider, on standard error.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForgottenCloseIT {

    private static final String WARNING = "pool forgetful was not closed before the JVM exited: cancelled 4 task(s)";

    /** Runs the app to its end; returns its standard error. */
    private static String runForgetfulApp(Path dir, List<String> classpath) throws Exception {
        Gate gate = Gate.create(dir.resolve("gate")); // never released: the tasks end only by cancellation
        ChildProcess child = ChildProcess.start(
                ChildJvm.mainClass(ForgetfulApp.class).classpath(classpath).args(gate.path()).command(),
                dir.resolve("out"), dir.resolve("err"));
        try {
            assertThat(child.awaitExit(Duration.ofSeconds(90))).as("the application ended").isTrue();
            assertThat(child.process().exitValue()).as(child.stderr()).isZero();
            assertThat(child.stdout()).contains("SUBMITTED 4");
            return child.stderr();
        } finally {
            child.process().destroyForcibly();
        }
    }

    @Test
    void aPoolNeverClosedWarnsAtJvmExitOfTheTasksItCancelled(@TempDir Path dir) throws Exception {
        List<String> classpath = Arrays.asList(ChildJvm.classpathOfThisJvm().split(File.pathSeparator));
        assertThat(classpath).anyMatch(entry -> entry.contains("slf4j-simple"));

        String stderr = runForgetfulApp(dir, classpath);

        assertThat(stderr.lines()).anyMatch(line -> line.contains("WARN io.forkpool.pool - " + WARNING));
    }

    @Test
    void withoutAnSlf4jProviderTheWarningGoesToStandardError(@TempDir Path dir) throws Exception {
        List<String> classpath = Arrays.stream(ChildJvm.classpathOfThisJvm().split(File.pathSeparator))
                .filter(entry -> !entry.contains("slf4j-simple") && !entry.contains("logback")).toList();

        String stderr = runForgetfulApp(dir, classpath);

        assertThat(stderr).as("SLF4J found no provider").contains("No SLF4J providers were found");
        assertThat(stderr.lines()).anyMatch(line -> line.startsWith("[forkpool] WARN " + WARNING));
    }
}
