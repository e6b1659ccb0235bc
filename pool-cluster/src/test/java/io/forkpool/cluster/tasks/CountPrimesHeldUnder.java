package io.forkpool.cluster.tasks;

import io.forkpool.Task;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import io.forkpool.testsupport.Gate;
import java.util.Optional;

/**
 * Counts the primes of a range like {@link CountPrimes}, except in a worker that descends from the
 * process its input names: there it arrives at the input's {@link Gate} and waits for a release
 * that, in the test, never comes. So a test knows for sure that one member holds an input when it
 * kills that member, and every other member counts as usual.
 */
public final class CountPrimesHeldUnder implements Task<CountPrimesHeldUnder.Input, Long> {

    /** @param range the numbers to count @param heldUnder the pid whose descendants wait @param gate the gate's path */
    public record Input(Range range, long heldUnder, String gate) {
    }

    private final CountPrimes count = new CountPrimes();

    @Override
    public Long execute(Input input) throws InterruptedException {
        for (Optional<ProcessHandle> p = ProcessHandle.current().parent(); p.isPresent(); p = p.get().parent()) {
            if (p.get().pid() == input.heldUnder()) {
                Gate.pass(input.gate());
            }
        }
        return count.execute(input.range());
    }
}
