package io.forkpool.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildJvmTest {

    @Test
    void aMainClassRunsOnThisJvmsClassPathWithItsOptionsThenItsArguments() {
        List<String> command = ChildJvm.mainClass(Echo.class).jvmOptions("-Xmx32m", "-Da=b c").args("x", "y z")
                .command();
        assertThat(command).containsExactly(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-Da=b c", "-cp", System.getProperty("java.class.path"), Echo.class.getName(), "x", "y z");
    }

    @Test
    void aJarRunsWithMinusJar() {
        assertThat(ChildJvm.jar(Path.of("/some/app.jar")).jvmOptions("-Xmx32m").args("--help").command())
                .containsExactly(ChildJvm.java(), "-Xmx32m", "-jar", "/some/app.jar", "--help");
    }

    @Test
    void theChildRunsAndItsOutputIsInTheFiles(@TempDir Path dir) throws Exception {
        ChildProcess child = ChildProcess.start(ChildJvm.mainClass(Echo.class).args("one", "two words").command(),
                dir.resolve("out"), dir.resolve("err"));
        try {
            assertThat(child.awaitLine(line -> line.startsWith("arg two"), Duration.ofSeconds(60)))
                    .contains("arg two words");
            assertThat(child.awaitExit(Duration.ofSeconds(60))).isTrue();
            assertThat(child.process().exitValue()).isEqualTo(3);
            assertThat(child.stdout()).isEqualTo("arg one\narg two words\n");
            assertThat(child.stderr()).isEqualTo("done\n");
            assertThat(child.awaitLine("never"::equals, Duration.ofSeconds(60))).isEmpty(); // exited: no wait
        } finally {
            child.destroyTree(Duration.ofSeconds(5));
        }
    }

    @Test
    void onlyCompleteLinesCount() {
        assertThat(ChildProcess.completeLines("a\nb\npart")).containsExactly("a", "b");
        assertThat(ChildProcess.completeLines("part")).isEmpty();
    }

    @Test
    void locationOfATestClassIsItsClassDirectory() {
        assertThat(Path.of(ChildJvm.locationOf(ChildJvmTest.class))).isDirectory();
    }

    /** The child: prints each argument, then "done" to stderr, and exits with 3. */
    public static final class Echo {
        private Echo() {
        }

        /**
         * Entry point.
         *
         * @param args printed one a line
         */
        public static void main(String[] args) {
            for (String arg : args) {
                System.out.println("arg " + arg);
            }
            System.err.println("done");
            System.exit(3);
        }
    }
}
