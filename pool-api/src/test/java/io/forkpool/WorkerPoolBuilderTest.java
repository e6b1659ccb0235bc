package io.forkpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerPoolBuilderTest {

    @Test
    void documentedDefaults() {
        PoolOptions options = WorkerPool.builder().options();
        assertThat(options.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(options.javaExecutable()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
        assertThat(options.classpath()).isNotEmpty()
                .isEqualTo(WorkerPoolBuilder.splitClasspath(System.getProperty("java.class.path")));
        assertThat(options.classpathGiven()).isFalse();
        assertThat(options.jvmOptions()).isEqualTo(WorkerPoolBuilder.DEFAULT_JVM_OPTIONS);
        assertThat(options.environment()).isEmpty();
        assertThat(options.inheritedEnvironment()).isEqualTo(WorkerPoolBuilder.DEFAULT_INHERITED_ENVIRONMENT)
                .contains("PATH", "HOME").doesNotContain("AWS_SECRET_ACCESS_KEY");
        assertThat(options.workingDirectory()).isEqualTo(Path.of("").toAbsolutePath());
        assertThat(options.maxFrameLength()).isEqualTo(64 << 20);
        assertThat(options.tasksInFlightPerWorker()).isEqualTo(PoolOptions.ADAPTIVE_TASKS_IN_FLIGHT);
        assertThat(options.startupTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.maxAttempts()).isEqualTo(3);
        assertThat(options.taskTimeout()).isNull();
        assertThat(options.maxTasksPerWorker()).isZero();
        assertThat(options.maxWorkerHeapBytes()).isZero();
        assertThat(options.warmSpares()).isZero();
        assertThat(options.maxRestarts()).isEqualTo(30 * options.workers());
        assertThat(options.restartWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.name()).startsWith("forkpool-");
        assertThat(options.workerCommand()).isEmpty();
        assertThat(options.allowedTasks()).containsExactly("*");
        assertThat(options.classDataCache()).isEqualTo(Path.of(System.getProperty("forkpool.cache.dir")).toAbsolutePath());
        assertThat(WorkerPool.builder().classDataCache(null).options().classDataCache()).isNull();
    }

    private static WorkerPoolBuilder everySetting() {
        return WorkerPool.builder().name("p").workers(3).javaExecutable(Path.of("/j/bin/java"))
                .classpath(List.of("a.jar")).jvmOptions("-Xmx1g").environment("K", "V").inheritEnvironment("CI")
                .workingDirectory(Path.of("/tmp")).maxFrameLength(4096).tasksInFlightPerWorker(5).maxPendingTasks(6)
                .startupTimeout(Duration.ofSeconds(1)).closeTimeout(Duration.ofSeconds(2)).maxAttempts(4)
                .taskTimeout(Duration.ofSeconds(3)).maxTasksPerWorker(100).maxWorkerHeapBytes(1 << 20)
                .restartLimit(7, Duration.ofSeconds(9)).workerCommand("python3", "w.py")
                .allowTasks("com.example.*", "org.acme.Count$Task").classDataCache(Path.of("/cache")).warmSpares(2);
    }

    @Test
    void aGivenClasspathIsKeptExactlyAndTellsFromTheDefault() {
        PoolOptions given = WorkerPool.builder().classpath(List.of("a.jar", "b")).options();
        assertThat(given.classpath()).containsExactly("a.jar", "b");
        assertThat(given.classpathGiven()).isTrue();
        assertThat(given.toBuilder().options().classpathGiven()).isTrue();
        PoolOptions byDefault = WorkerPool.builder().name("d").options();
        assertThat(byDefault.toBuilder().options()).isEqualTo(byDefault);
        assertThat(byDefault.toBuilder().options().classpathGiven()).isFalse();
        assertThat(byDefault).isNotEqualTo(byDefault.toBuilder().classpath(byDefault.classpath()).options());
        assertThat(byDefault.toString()).contains("classpath=default");
    }

    @Test
    void anEmptyJavaClassPathIsNoErrorWhenTheClasspathIsLeftToTheRuntime() {
        String saved = System.getProperty("java.class.path");
        System.setProperty("java.class.path", ""); // as under java -p ... -m ...
        try {
            PoolOptions options = WorkerPool.builder().options();
            assertThat(options.classpath()).isEmpty();
            assertThat(options.classpathGiven()).isFalse();
        } finally {
            System.setProperty("java.class.path", saved);
        }
    }

    @Test
    void everySetterIsApplied() {
        PoolOptions options = everySetting().options();
        assertThat(options.name()).isEqualTo("p");
        assertThat(options.workers()).isEqualTo(3);
        assertThat(options.javaExecutable()).isEqualTo(Path.of("/j/bin/java"));
        assertThat(options.classpath()).isEqualTo(List.of("a.jar"));
        assertThat(options.jvmOptions()).isEqualTo(List.of("-Xmx1g"));
        assertThat(options.inheritedEnvironment()).isEqualTo(withDefaults("CI"));
        assertThat(options.environment()).isEqualTo(java.util.Map.of("K", "V"));
        assertThat(options.workingDirectory()).isEqualTo(Path.of("/tmp"));
        assertThat(options.workerCommand()).isEqualTo(List.of("python3", "w.py"));
        assertThat(options.allowedTasks()).isEqualTo(List.of("com.example.*", "org.acme.Count$Task"));
        assertThat(options.classDataCache()).isEqualTo(Path.of("/cache"));
        assertThat(options.maxFrameLength()).isEqualTo(4096);
        assertThat(options.tasksInFlightPerWorker()).isEqualTo(5);
        assertThat(options.maxPendingTasks()).isEqualTo(6);
        assertThat(options.startupTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.closeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.maxAttempts()).isEqualTo(4);
        assertThat(options.taskTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.maxTasksPerWorker()).isEqualTo(100);
        assertThat(options.maxWorkerHeapBytes()).isEqualTo(1 << 20);
        assertThat(options.maxRestarts()).isEqualTo(7);
        assertThat(options.restartWindow()).isEqualTo(Duration.ofSeconds(9));
        assertThat(options.warmSpares()).isEqualTo(2);
        assertThat(options.recordLatencies()).isTrue();
        assertThat(WorkerPool.builder().recordLatencies(false).options().recordLatencies()).isFalse();
    }

    @Test
    void optionsAreValuesAndABuilderDerivesOthersFromThem() {
        PoolOptions options = everySetting().options();
        assertThat(options).isEqualTo(everySetting().options()).hasSameHashCodeAs(everySetting().options())
                .isNotEqualTo(everySetting().workers(4).options())
                .isNotEqualTo(everySetting().taskTimeout(null).options())
                .isNotEqualTo(everySetting().warmSpares(1).options());
        assertThat(options.toString()).startsWith("PoolOptions[name=p, workers=3, ")
                .contains("maxRestarts=7", "taskTimeout=PT3S").endsWith(", recordLatencies=true, warmSpares=2]");

        assertThat(options.toBuilder().options()).isEqualTo(options);
        PoolOptions derived = options.toBuilder().maxAttempts(2).inheritEnvironment("EXTRA").options();
        assertThat(derived.maxAttempts()).isEqualTo(2);
        assertThat(derived.inheritedEnvironment()).isEqualTo(withDefaults("CI", "EXTRA"));
        assertThat(derived.toBuilder().maxAttempts(4).inheritEnvironment().options())
                .isNotEqualTo(options); // the extra variable stays
        assertThat(options).isEqualTo(everySetting().options()); // deriving changed nothing

        PoolOptions unnamed = WorkerPool.builder().options();
        assertThat(unnamed.toBuilder().options()).isEqualTo(unnamed); // same resolved name and restart limit
    }

    private static java.util.Set<String> withDefaults(String... extra) {
        java.util.Set<String> names = new java.util.HashSet<>(WorkerPoolBuilder.DEFAULT_INHERITED_ENVIRONMENT);
        names.addAll(List.of(extra));
        return names;
    }

    @Test
    void rejectsOutOfRangeValuesNamingThem() {
        assertThatThrownBy(() -> WorkerPool.builder().workers(0).options())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("workers must be in [1, 4096]: 0");
        assertThatThrownBy(() -> WorkerPool.builder().workers(2).warmSpares(3).options())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("warmSpares must be in [0, 2]: 3");
        assertThatThrownBy(() -> WorkerPool.builder().warmSpares(-1).options())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("warmSpares must be in [0, ");
        assertThatThrownBy(() -> WorkerPool.builder().maxFrameLength(Integer.MAX_VALUE).options())
                .hasMessage("maxFrameLength must be in [1024, 1073741824]: 2147483647");
        assertThatThrownBy(() -> WorkerPool.builder().tasksInFlightPerWorker(-1).options())
                .hasMessage("tasksInFlightPerWorker must be in [0, 1024]: -1");
        assertThatThrownBy(() -> WorkerPool.builder().tasksInFlightPerWorker(1025).options())
                .hasMessage("tasksInFlightPerWorker must be in [0, 1024]: 1025");
        assertThatThrownBy(() -> WorkerPool.builder().startupTimeout(Duration.ZERO).options())
                .hasMessage("startupTimeout must be positive: PT0S");
        assertThatThrownBy(() -> WorkerPool.builder().closeTimeout(Duration.ofSeconds(-1)).options())
                .hasMessage("closeTimeout must be positive: PT-1S");
        assertThatThrownBy(() -> WorkerPool.builder().classpath(List.of()).options())
                .hasMessage("classpath must not be empty");
        assertThatThrownBy(() -> WorkerPool.builder().name(" ").options()).hasMessage("name must not be blank");
        assertThatThrownBy(() -> WorkerPool.builder().allowTasks().options())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one entry");
        assertThatThrownBy(() -> WorkerPool.builder().allowTasks("com.example.*.Foo").options())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"com.example.*.Foo\"");
        assertThatThrownBy(() -> WorkerPool.builder().workerCommand(" ", "w.py").options())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workerCommand");
        assertThatThrownBy(() -> WorkerPool.builder().maxAttempts(0).options())
                .hasMessage("maxAttempts must be in [1, 100]: 0");
        assertThatThrownBy(() -> WorkerPool.builder().taskTimeout(Duration.ofMillis(-1)).options())
                .hasMessage("taskTimeout must be positive: PT-0.001S");
        assertThatThrownBy(() -> WorkerPool.builder().maxTasksPerWorker(-1).options())
                .hasMessageStartingWith("maxTasksPerWorker must be >= 0");
        assertThatThrownBy(() -> TaskOptions.builder().maxAttempts(101))
                .hasMessage("maxAttempts must be in [1, 100]: 101");
        assertThatThrownBy(() -> TaskOptions.builder().timeout(Duration.ZERO)).hasMessage("timeout must be positive: PT0S");
    }

    @Test
    void buildWithoutARuntimeSaysWhatIsMissing() {
        assertThatThrownBy(() -> WorkerPool.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add the io.forkpool:pool-runtime dependency");
    }
}
