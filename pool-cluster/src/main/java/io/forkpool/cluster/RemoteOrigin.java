package io.forkpool.cluster;

import io.forkpool.ForkPoolException;

/**
 * The cause attached to a failure that happened on a cluster member: names the member and the id
 * its local pool gave the task, so a worker id and pid in the failure can be found in that
 * member's log. Never thrown by itself.
 */
public final class RemoteOrigin extends ForkPoolException {

    private static final long serialVersionUID = 1L;

    /** The member's address. */
    private final String member;

    /**
     * Creates the origin.
     *
     * @param member the member's address, {@code host:port}
     * @param detail what the member reported beyond the failure itself, possibly empty
     */
    public RemoteOrigin(String member, String detail) {
        super("on cluster member " + member + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.member = member;
    }

    /** @return the member's address, {@code host:port} */
    public String member() {
        return member;
    }
}
