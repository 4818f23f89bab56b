package io.tessera.query.projection;

/**
 * Where the dispatcher puts what it cannot apply: the dead-letter store ({@code io.tessera.query.deadletter}), kept
 * behind this interface so that consuming does not depend on the store's administration.
 */
public interface DeadLetterQueue {

    /** Inside a projector transaction holding the tenant's lock: whether the aggregate has letters. */
    boolean blocked(String tenantId, String aggregateId);

    /** Inside a projector transaction holding the tenant's lock: stores the event behind its aggregate's. */
    void queueBehind(ProjectedEvent event, String record, String origin);

    /** A readable event that a projection refused: first in its aggregate's queue from now on. */
    void failed(ProjectedEvent event, String record, String origin, Throwable error);

    /**
     * A record that cannot be read. Its tenant is kept only when the envelope and the payload agree on it
     * (else the letter is for platform admins only); it blocks no aggregate, since its place is unknown.
     */
    void unreadable(String record, String reason, String origin);

    /**
     * A record that is not the command side's ({@link CloudEventReader.Unverified}). Nothing it claims is believed,
     * its tenant least of all: the letter is for platform admins only, and blocks no aggregate.
     */
    void unverified(String record, String reason, String origin);
}
