package io.tessera.query.projection;

/**
 * Told after the commit of each event this instance applied, before read-your-writes waiters are woken: the query
 * cache evicts the tenant's answers here, so that consuming does not depend on the cache.
 */
public interface AppliedEventListener {

    void applied(String tenantId, long position);
}
