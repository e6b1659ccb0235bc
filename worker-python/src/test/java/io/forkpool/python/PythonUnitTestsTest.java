package io.forkpool.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the Python worker's own tests ({@code src/test/python}, standard-library {@code unittest})
 * as part of the build: the codec against the golden frames, the worker against a fake
 * supervisor written in Python, and the conformance kit against broken copies of {@code minimal.py}.
 */
class PythonUnitTestsTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void thePythonSuitePasses() throws IOException, InterruptedException {
        Path module = PythonWorkers.module();
        ProcessBuilder builder = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", "src/test/python", "-v")
                .directory(module.toFile())
                .redirectErrorStream(true);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the source tree
        Process python = builder.start();
        python.getOutputStream().close();
        try {
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor(100, TimeUnit.SECONDS)).as(output).isTrue();
            System.out.println(output);
            assertThat(python.exitValue()).as(output).isZero();
            assertThat(output).contains("\nOK");
        } finally {
            python.destroyForcibly();
        }
    }
}
