package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.internal.protocol.BootstrapLine;
import io.forkpool.internal.protocol.Messages;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker loads no Jackson class before its hello (it reads the bootstrap line and writes the
 * hello without Jackson, and builds its mappers afterwards; a lambda or a catch clause naming a
 * Jackson type would load classes early too): checked in a fresh JVM, whose class-load log is read
 * at the moment the hello is written ({@link BootToHello}). No timing is measured.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NoJacksonBeforeHelloTest {

    @TempDir
    Path dir;

    @Test
    void noJacksonClassIsLoadedBeforeTheHello() throws Exception {
        Path log = dir.resolve("classes.log");
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load:file=" + log, "-cp", System.getProperty("java.class.path"),
                BootToHello.class.getName(), log.toString())
                .redirectErrorStream(true)
                .start();
        try {
            try (OutputStream stdin = jvm.getOutputStream()) {
                stdin.write(BootstrapLine.encode(new Messages.Bootstrap(Messages.PROTOCOL_VERSION, "/unused.sock",
                        "0".repeat(32), 2, 1 << 20, 0, 0, List.of("*"))));
            }
            String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(jvm.exitValue()).as(output).isZero();
            assertThat(output).as("the Jackson classes loaded before the hello")
                    .isEqualTo("hello written after 0 Jackson classes\n");
            assertThat(Files.readString(log)).as("the log goes on after the hello")
                    .contains("io.forkpool.internal.protocol.HelloEncoder");
        } finally {
            jvm.destroyForcibly();
        }
    }
}
