package io.forkpool.runtime.internal.worker;

/**
 * Decides when a worker that holds tasks has been silent long enough to be probed with a PING,
 * and when a probed one has stayed silent long enough to be taken for dead. Pure arithmetic over
 * the times it is given, so it is tested without a clock or a process.
 *
 * <p>{@link #heard} is called by the io thread on every frame; {@link #check} by the supervisor
 * thread on every tick. Silence counts from the last frame, or from the moment the worker began
 * to hold tasks, whichever is later: an idle worker is never probed.
 */
final class ProbeClock {

    /** What a tick decides. */
    enum Verdict { FINE, PROBE, DEAD }

    private final long silenceNanos;
    private final long probeNanos;
    /** When the worker last sent a frame; volatile: written by the io thread, read by the supervisor. */
    private volatile long heardNanos;
    // The rest is the supervisor thread's alone.
    private long busySinceNanos;
    private boolean busy;
    private long probeSentNanos;
    private long probes;

    ProbeClock(long silenceNanos, long probeNanos, long nowNanos) {
        this.silenceNanos = silenceNanos;
        this.probeNanos = probeNanos;
        this.heardNanos = nowNanos;
    }

    void heard(long nowNanos) {
        heardNanos = nowNanos;
    }

    /** @return how often to tick: often enough that neither bound is overshot by more than half */
    long tickNanos() {
        return Math.max(1, Math.min(silenceNanos, probeNanos) / 2);
    }

    /** @return probes sent so far, the last one's number */
    long probes() {
        return probes;
    }

    /**
     * @param nowNanos the time now
     * @param holdsTasks whether the worker holds unanswered tasks
     * @return what to do now
     */
    Verdict check(long nowNanos, boolean holdsTasks) {
        if (!holdsTasks) {
            busy = false;
            probeSentNanos = 0;
            return Verdict.FINE;
        }
        if (!busy) {
            busy = true;
            busySinceNanos = nowNanos;
        }
        long heard = heardNanos;
        if (probeSentNanos != 0 && heard - probeSentNanos >= 0) {
            probeSentNanos = 0; // answered
        }
        if (probeSentNanos != 0) {
            return nowNanos - probeSentNanos >= probeNanos ? Verdict.DEAD : Verdict.FINE;
        }
        long quietSince = Math.max(heard, busySinceNanos);
        if (nowNanos - quietSince >= silenceNanos) {
            probeSentNanos = nowNanos;
            probes++;
            return Verdict.PROBE;
        }
        return Verdict.FINE;
    }
}
