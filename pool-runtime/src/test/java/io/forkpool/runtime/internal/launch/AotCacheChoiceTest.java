package io.forkpool.runtime.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.WorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers of a JDK 25 or later get an AOT cache ({@code -XX:AOTCache}, recorded with
 * {@code -XX:AOTCacheOutput}) and start without {@code -Xshare:auto}, which such a JVM refuses
 * beside it; older JDKs, or a JDK whose version cannot be read, keep the AppCDS archive. The
 * JDKs here are fake homes: a {@code release} file and an executable named {@code bin/java}.
 */
class AotCacheChoiceTest {

    @TempDir
    Path dir;

    private Path fakeJdk(String name, String release) throws Exception {
        Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
        if (release != null) {
            Files.writeString(dir.resolve(name).resolve("release"), release);
        }
        Path java = Files.createFile(bin.resolve("java"));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return java;
    }

    private ClassDataArchive archiveFor(Path java) throws Exception {
        Path jar = dir.resolve("worker.jar");
        if (!Files.exists(jar)) {
            Files.createFile(jar);
        }
        Path cache = dir.resolve("cache");
        return ClassDataArchive.of(WorkerPool.builder().javaExecutable(java).classpath(List.of(jar.toString()))
                .classDataCache(cache).options());
    }

    @Test
    void readsTheFeatureVersionOfAJdkReleaseFile() {
        assertThat(JdkRelease.featureOf("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.1\"\n")).isEqualTo(25);
        assertThat(JdkRelease.featureOf("JAVA_VERSION=\"17.0.15\"")).isEqualTo(17);
        assertThat(JdkRelease.featureOf("JAVA_VERSION=\"26-ea\"")).isEqualTo(26);
        assertThat(JdkRelease.featureOf("JAVA_VERSION=\"1.8.0_402\"")).isEqualTo(8);
        assertThat(JdkRelease.featureOf("JAVA_VERSION=\"\"")).isZero();
        assertThat(JdkRelease.featureOf("OS_NAME=\"Linux\"")).isZero();
    }

    @Test
    void aJdk25WorkerGetsAnAotCacheAndNoXshareOption() throws Exception {
        ClassDataArchive archive = archiveFor(fakeJdk("jdk25", "JAVA_VERSION=\"25.0.1\"\n"));
        assertThat(archive.path().getFileName().toString()).startsWith("worker-").endsWith(".aot");

        List<String> command = WorkerLauncher.javaWorkerCommand(
                WorkerPool.builder().options(), List.of("-XX:AOTCache=" + archive.path()));
        assertThat(command).contains("-XX:AOTCache=" + archive.path()).doesNotContain("-Xshare:auto");
        List<String> recording = WorkerLauncher.javaWorkerCommand(
                WorkerPool.builder().options(), List.of("-XX:AOTCacheOutput=x"));
        assertThat(recording).doesNotContain("-Xshare:auto");
    }

    @Test
    void olderOrUnknownJdksKeepTheAppCdsArchiveAndTheirOptions() throws Exception {
        assertThat(archiveFor(fakeJdk("jdk17", "JAVA_VERSION=\"17.0.15\"\n")).path().toString()).endsWith(".jsa");
        assertThat(archiveFor(fakeJdk("unknown", null)).path().toString()).endsWith(".jsa");
        assertThat(WorkerLauncher.javaWorkerCommand(WorkerPool.builder().options(), List.of("-XX:SharedArchiveFile=a.jsa")))
                .contains("-Xshare:auto", "-XX:SharedArchiveFile=a.jsa");
    }

    @Test
    void aUserAotOptionTurnsTheCacheOff() throws Exception {
        Path java = fakeJdk("jdk25", "JAVA_VERSION=\"25\"\n");
        Path jar = Files.createFile(dir.resolve("w.jar"));
        assertThat(ClassDataArchive.of(WorkerPool.builder().javaExecutable(java).classpath(List.of(jar.toString()))
                .jvmOptions(List.of("-XX:AOTMode=off")).classDataCache(dir.resolve("c")).options())).isNull();
    }
}
