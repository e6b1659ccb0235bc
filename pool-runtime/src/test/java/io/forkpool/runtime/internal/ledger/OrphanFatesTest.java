package io.forkpool.runtime.internal.ledger;

import static io.forkpool.runtime.internal.ledger.OrphanFates.Fate.ABANDON;
import static io.forkpool.runtime.internal.ledger.OrphanFates.Fate.FAIL_CRASHED;
import static io.forkpool.runtime.internal.ledger.OrphanFates.Fate.FAIL_POISON;
import static io.forkpool.runtime.internal.ledger.OrphanFates.Fate.REQUEUE;
import static io.forkpool.runtime.internal.ledger.OrphanFates.Fate.RETRY_ALONE;
import static io.forkpool.runtime.internal.ledger.OrphanFates.Fate.SETTLED;
import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.runtime.internal.ledger.OrphanFates.Fate;
import io.forkpool.runtime.internal.ledger.OrphanFates.Orphan;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule that decides a dead worker's tasks, case by case and then over every small case. */
class OrphanFatesTest {

    private static Orphan pending(int crashes, int maxAttempts) {
        return new Orphan(false, crashes, maxAttempts);
    }

    @Test
    void aCrashChargesOnlyTheRunningTaskAndRequeuesTheRestInOrder() {
        assertThat(OrphanFates.decide(List.of(pending(0, 3), pending(0, 3), pending(2, 3)), true, true))
                .containsExactly(RETRY_ALONE, REQUEUE, REQUEUE);
    }

    @Test
    void theRunningTaskFailsOnItsLastAttemptAsACrashOrAsPoison() {
        assertThat(OrphanFates.decide(List.of(pending(0, 1)), true, true)).containsExactly(FAIL_CRASHED);
        assertThat(OrphanFates.decide(List.of(pending(1, 2)), true, true)).containsExactly(FAIL_POISON);
        assertThat(OrphanFates.decide(List.of(pending(2, 3)), true, true)).containsExactly(FAIL_POISON);
        assertThat(OrphanFates.decide(List.of(pending(1, 3)), true, true)).containsExactly(RETRY_ALONE);
    }

    @Test
    void anEndThePoolChoseChargesNobody() {
        assertThat(OrphanFates.decide(List.of(pending(0, 1), pending(0, 1)), false, true))
                .containsExactly(REQUEUE, REQUEUE);
    }

    @Test
    void aCompletedTaskIsLeftAloneAndAStoppedPoolAbandonsTheRest() {
        assertThat(OrphanFates.decide(List.of(new Orphan(true, 0, 1), pending(0, 3)), true, true))
                .containsExactly(SETTLED, REQUEUE);
        assertThat(OrphanFates.decide(List.of(pending(0, 3), new Orphan(true, 0, 3), pending(0, 3)), true, false))
                .containsExactly(ABANDON, SETTLED, ABANDON);
        assertThat(OrphanFates.decide(List.of(), true, true)).isEmpty();
    }

    /** Every list of up to three orphans over small attempt counts, against the rule's promises. */
    @Test
    void overEverySmallCaseNoTaskIsLostOrChargedWrongly() {
        List<Orphan> kinds = new ArrayList<>();
        for (int max = 1; max <= 4; max++) {
            for (int crashes = 0; crashes < max; crashes++) {
                kinds.add(pending(crashes, max));
                kinds.add(new Orphan(true, crashes, max));
            }
        }
        int cases = 0;
        for (List<Orphan> orphans : lists(kinds, 3)) {
            for (boolean crashed : new boolean[] {false, true}) {
                for (boolean runs : new boolean[] {false, true}) {
                    List<Fate> fates = OrphanFates.decide(orphans, crashed, runs);
                    cases++;
                    assertThat(fates).hasSameSizeAs(orphans);
                    for (int i = 0; i < orphans.size(); i++) {
                        Orphan o = orphans.get(i);
                        Fate f = fates.get(i);
                        // done is final; a pool that runs nothing keeps nothing; nothing else is dropped
                        assertThat(f == SETTLED).isEqualTo(o.done());
                        assertThat(f == ABANDON).isEqualTo(!o.done() && !runs);
                        // only the running task of a crashed worker is charged, and within its attempts
                        boolean charged = EnumSet.of(RETRY_ALONE, FAIL_CRASHED, FAIL_POISON).contains(f);
                        assertThat(charged).isEqualTo(i == 0 && crashed && runs && !o.done());
                        if (f == RETRY_ALONE) {
                            assertThat(o.crashes() + 1).isLessThan(o.maxAttempts());
                        }
                        if (f == FAIL_CRASHED || f == FAIL_POISON) {
                            assertThat(o.crashes() + 1).isEqualTo(o.maxAttempts());
                            assertThat(f == FAIL_CRASHED).isEqualTo(o.maxAttempts() == 1);
                        }
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(4 * (1 + 20 + 20 * 20 + 20 * 20 * 20));
    }

    private static List<List<Orphan>> lists(List<Orphan> kinds, int maxLength) {
        List<List<Orphan>> all = new ArrayList<>();
        all.add(List.of());
        List<List<Orphan>> last = List.of(List.of());
        for (int n = 1; n <= maxLength; n++) {
            List<List<Orphan>> next = new ArrayList<>();
            for (List<Orphan> prefix : last) {
                for (Orphan kind : kinds) {
                    List<Orphan> l = new ArrayList<>(prefix);
                    l.add(kind);
                    next.add(l);
                }
            }
            all.addAll(next);
            last = next;
        }
        return all;
    }
}
