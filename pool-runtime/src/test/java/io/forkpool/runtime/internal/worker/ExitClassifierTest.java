package io.forkpool.runtime.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.ExitCause;
import org.junit.jupiter.api.Test;

class ExitClassifierTest {

    @Test
    void whatThePoolDidWinsOverTheExitCode() {
        assertThat(ExitClassifier.classify(137, ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL, false, "", true))
                .isEqualTo(ExitCause.KILLED_FOR_TIMEOUT_OR_CANCEL);
        assertThat(ExitClassifier.classify(0, ExitCause.RETIRED, false, "", true)).isEqualTo(ExitCause.RETIRED);
        assertThat(ExitCause.RETIRED.isCrash()).isFalse();
        assertThat(ExitCause.PROTOCOL_VIOLATION.isCrash()).isTrue();
    }

    @Test
    void classifiesEndsThePoolDidNotCause() {
        assertThat(ExitClassifier.classify(1, null, true, "", true)).isEqualTo(ExitCause.STARTUP_FAILURE);
        assertThat(ExitClassifier.classify(1, null, false, "x\nTerminating due to java.lang.OutOfMemoryError: Java heap space\n", true))
                .isEqualTo(ExitCause.OUT_OF_MEMORY);
        assertThat(ExitClassifier.classify(137, null, false, "", true)).isEqualTo(ExitCause.SIGNAL);
        assertThat(ExitClassifier.classify(139, null, false, "", true)).isEqualTo(ExitCause.SIGNAL);
        assertThat(ExitClassifier.classify(0, null, false, "", true)).isEqualTo(ExitCause.UNEXPECTED_NORMAL_EXIT);
        assertThat(ExitClassifier.classify(42, null, false, "", true)).isEqualTo(ExitCause.EXIT_CODE);
    }

    @Test
    void exitCode3IsOutOfMemoryOnlyWithHotSpotsLineForAJavaWorkerAndAlwaysForAForeignOne() {
        String oom = "x\nTerminating due to java.lang.OutOfMemoryError: Java heap space\n";
        assertThat(ExitClassifier.classify(3, null, false, "bye\n", true)).isEqualTo(ExitCause.EXIT_CODE);
        assertThat(ExitClassifier.classify(3, null, false, oom, true)).isEqualTo(ExitCause.OUT_OF_MEMORY);
        assertThat(ExitClassifier.classify(3, null, false, "", false)).isEqualTo(ExitCause.OUT_OF_MEMORY);
        assertThat(ExitClassifier.classify(1, null, false, oom, false)).isEqualTo(ExitCause.EXIT_CODE);
    }

    @Test
    void onlySignalsOthersSendCountAsAnOutsideKillAndNeverOneThePoolSent() {
        for (int signal : new int[] {1, 2, 9, 15}) {
            assertThat(ExitClassifier.killedFromOutside(128 + signal, null)).as("signal " + signal).isTrue();
        }
        for (int code : new int[] {0, 1, 3, 65, 128 + 6, 128 + 7, 128 + 11}) { // exits, SIGABRT, SIGBUS, SIGSEGV
            assertThat(ExitClassifier.killedFromOutside(code, null)).as("exit code " + code).isFalse();
        }
        assertThat(ExitClassifier.killedFromOutside(137, ExitCause.STARTUP_FAILURE)).isFalse(); // the start-up timeout
    }
}
