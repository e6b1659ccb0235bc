package io.forkpool.runtime.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.WorkerPool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The channel's hygiene: a private directory, a fresh random token per process, the secret only on
 * standard input, and nothing left behind. The "worker" here is {@code /bin/cat}, which echoes
 * what it was given on standard input so the test can see exactly that.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerLauncherTest {

    @Test
    void socketsLiveInAPrivateDirectoryAndEachProcessGetsItsOwnToken() throws Exception {
        Path directory;
        try (WorkerLauncher launcher = new WorkerLauncher(WorkerPool.builder().workerCommand("/bin/cat").options())) {
            ProcessLink first = (ProcessLink) launcher.spawn(0, 1);
            ProcessLink second = (ProcessLink) launcher.spawn(0, 2);
            try {
                directory = first.socket().getParent();
                assertThat(second.socket().getParent()).isEqualTo(directory);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
                assertThat(Files.getOwner(directory).getName()).isEqualTo(System.getProperty("user.name"));
                assertThat(first.socket().toString().length()).isLessThan(100);
                assertThat(first.token()).matches("[0-9a-f]{32}").isNotEqualTo(second.token());

                String bootstrap = firstLine(first.process());
                assertThat(bootstrap).contains("\"token\":\"" + first.token() + "\"")
                        .contains("\"socketPath\":\"" + first.socket() + "\"");
                String commandLine = first.process().info().commandLine().orElse("");
                assertThat(commandLine).doesNotContain(first.token()).doesNotContain(first.socket().toString());
            } finally {
                for (ProcessLink spawned : new ProcessLink[] {first, second}) {
                    spawned.process().destroyForcibly().waitFor();
                    spawned.close();
                }
            }
        }
        assertThat(directory).doesNotExist();
    }

    @Test
    void theJavaWorkersClassPathIsAbsoluteSoItHoldsInAnyWorkingDirectory() {
        List<String> command = WorkerLauncher.javaWorkerCommand(WorkerPool.builder()
                .classpath(List.of("lib/a.jar", "/opt/b.jar")).workingDirectory(Path.of("/")).options(), List.of());
        String classpath = command.get(command.indexOf("-cp") + 1);
        assertThat(classpath).isEqualTo(Path.of("lib/a.jar").toAbsolutePath() + java.io.File.pathSeparator + "/opt/b.jar");
    }

    @Test
    void aMissingWorkingDirectoryIsNamedNotTheProgramThatCouldNotRunInIt(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path missing = dir.resolve("gone");
        try (WorkerLauncher launcher = new WorkerLauncher(WorkerPool.builder().workerCommand("/bin/cat")
                .workingDirectory(missing).options())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> launcher.spawn(0, 1))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessage("the workers' working directory " + missing + " is not a directory");
        }
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return out.readLine();
    }
}
