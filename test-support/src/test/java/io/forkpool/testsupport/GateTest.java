package io.forkpool.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GateTest {

    @TempDir
    Path dir;

    @Test
    void aTaskArrivesWaitsForTheReleaseAndPasses() throws Exception {
        Gate gate = Gate.create(dir.resolve("gate"));
        assertThat(gate.started()).isZero();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> passQuietly(gate.path()));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> passQuietly(gate.path()));

        gate.awaitStarted(2, Duration.ofSeconds(30));
        assertThat(gate.started()).isEqualTo(2);
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(gate.isReleased()).isFalse();

        gate.release();
        gate.release(); // twice is harmless
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
        Gate.pass(gate.path()); // arriving after the release passes at once
        assertThat(gate.started()).isEqualTo(3);
        assertThat(gate.isReleased()).isTrue();
    }

    @Test
    void awaitingMoreArrivalsThanCameFailsWithTheCount() throws Exception {
        Gate gate = Gate.create(dir.resolve("gate"));
        Gate.arrive(gate.path());
        assertThatThrownBy(() -> gate.awaitStarted(2, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("1 of 2 tasks started at gate");
    }

    @Test
    void aWaitingTaskEndsWhenInterrupted() throws Exception {
        Gate gate = Gate.create(dir.resolve("gate"));
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread task = new Thread(() -> {
            try {
                Gate.pass(gate.path());
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        task.start();
        gate.awaitStarted(Duration.ofSeconds(30));
        task.interrupt();
        assertThat(ended.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void aGateNeedsAnEmptyDirectory() throws Exception {
        Files.createFile(dir.resolve("something"));
        assertThatThrownBy(() -> Gate.create(dir)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void passQuietly(String gate) {
        try {
            Gate.pass(gate);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
