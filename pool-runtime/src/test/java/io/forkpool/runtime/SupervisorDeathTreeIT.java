package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.runtime.tasks.StartTree;
import io.forkpool.testsupport.Await;
import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.ChildProcess;
import io.forkpool.testsupport.Gate;
import io.forkpool.testsupport.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing outlives a supervisor killed by SIGKILL: not its workers, not a stopped worker, not the
 * processes their tasks started (direct, double-forked, {@code nohup}, SIGTERM-ignoring, a fan-out
 * of ten), not its socket directory. Each round is a separate supervisor JVM ({@link TreeSupervisor})
 * whose two workers each started a {@link StartTree}; one task is still running, the other
 * worker is idle and then SIGSTOPped; then the supervisor is SIGKILLed.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class SupervisorDeathTreeIT {

    /** The bound for the whole tree to be gone: generous, the figures printed are what matters. */
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration SUPERVISOR_START = Duration.ofSeconds(120);

    /** A standing pair of trees under a live supervisor. */
    private record Round(ChildProcess supervisor, long busyWorker, long idleWorker, List<Long> all) {
    }

    private static Round start(Path dir, String name, String... jvmOptions) throws Exception {
        Path treeA = Files.createDirectories(dir.resolve(name + "-a"));
        Path treeB = Files.createDirectories(dir.resolve(name + "-b"));
        Gate gate = Gate.create(dir.resolve(name + "-gate"));
        ChildProcess child = ChildProcess.start(ChildJvm.mainClass(TreeSupervisor.class).jvmOptions(jvmOptions)
                .args(treeA.toString(), gate.path(), treeB.toString()).command(),
                dir.resolve(name + ".out"), dir.resolve(name + ".err"));
        try {
            String trees = child.awaitLine(l -> l.startsWith("TREES "), SUPERVISOR_START).orElse(null);
            assertThat(trees).as("supervisor output; see " + dir.resolve(name + ".err")).isEqualTo("TREES 15 false");
            List<Long> workers = child.stdout().lines().filter(l -> l.startsWith("PIDS ")).findFirst()
                    .map(l -> Arrays.stream(l.substring(5).split(" ")).map(Long::valueOf).toList()).orElseThrow();
            List<Long> all = new ArrayList<>(workers);
            all.addAll(StartTree.pids(treeA));
            all.addAll(StartTree.pids(treeB));
            assertThat(all).hasSize(2 + 2 * StartTree.PROCESSES).allMatch(Processes::alive);
            return new Round(child, workers.get(0), workers.get(1), all);
        } catch (Throwable e) {
            child.destroyTree(Duration.ofSeconds(10));
            throw e;
        }
    }

    private static void stop(long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        Await.until("worker " + pid + " stopped", Duration.ofSeconds(10),
                () -> Processes.state(pid).filter(state -> state == 'T').isPresent());
    }

    private static void killAll(Round round) {
        round.supervisor().kill();
        round.all().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private static List<Path> socketDirectoriesOf(long supervisorPid) throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(base, Path.of("/tmp"))) {
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(p -> p.getFileName().toString().startsWith("forkpool-" + supervisorPid + "-"))
                        .forEach(found::add);
            }
        }
        return found;
    }

    private static long goneNanos(Round round) {
        round.supervisor().kill(); // SIGKILL: no hook, no close(), nothing of the supervisor runs
        return Processes.nanosUntilAllGone(round.all(), BOUND);
    }

    @Test
    void aSigkilledSupervisorLeavesNoProcessOfAnyTreeAndNoSocketDirectoryTwentyTimesInARow(@TempDir Path dir)
            throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Round round = start(dir, "round-" + i);
            try {
                stop(round.idleWorker());
                long pid = round.supervisor().process().pid();
                millis.add(TimeUnit.NANOSECONDS.toMillis(goneNanos(round)));
                Await.until("socket directory of supervisor " + pid + " removed", BOUND,
                        () -> uncheckedSocketDirectories(pid).isEmpty());
            } finally {
                killAll(round);
            }
        }
        Collections.sort(millis);
        System.out.println("supervisor SIGKILL -> 2 workers (one stopped) and 30 tree processes gone, ms (sorted): "
                + millis + "; median " + millis.get(millis.size() / 2) + ", max " + millis.get(millis.size() - 1));
    }

    @Test
    void withoutSetprivTheWardenStillKillsTheStoppedWorkerAndEveryTree(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            Round round = start(dir, "no-setpriv-" + i, "-Dio.forkpool.setpriv=/nonexistent/setpriv");
            try {
                assertThat(round.supervisor().stderr()).contains("no setpriv at /nonexistent/setpriv");
                stop(round.idleWorker());
                goneNanos(round);
            } finally {
                killAll(round);
            }
        }
    }

    @Test
    void withNeitherSetprivNorWardenARunningWorkerStillKillsItsOwnTreeOnItsLifeline(@TempDir Path dir)
            throws Exception {
        for (int i = 0; i < 2; i++) {
            Round round = start(dir, "lifeline-" + i, "-Dio.forkpool.setpriv=/nonexistent/setpriv",
                    "-Dio.forkpool.warden=false");
            try {
                assertThat(round.supervisor().stderr()).contains("no setpriv at").contains("warden is switched off");
                goneNanos(round); // no worker stopped: both notice the end of their lifeline
            } finally {
                killAll(round);
            }
        }
    }

    private static List<Path> uncheckedSocketDirectories(long pid) {
        try {
            return socketDirectoriesOf(pid);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
