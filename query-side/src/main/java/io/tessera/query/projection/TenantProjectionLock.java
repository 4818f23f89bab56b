package io.tessera.query.projection;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A tenant's projection lock: everything the projections, the dead-letter retries and the rebuilds do for a tenant
 * runs under it, so an event is either queued behind a dead letter before a retry looks at the queue again or
 * applied after the retry emptied it.
 */
@Component
public class TenantProjectionLock {

    /** Two-int advisory keys, a space of their own: the command side's bigint tenant locks never collide. */
    static final int LOCK_SPACE = 0x7e55e2a;

    private final JdbcClient jdbc;

    TenantProjectionLock(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inside a projector transaction: held until it ends. */
    public void lock(String tenantId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(:space, hashtext(:tenantId))")
                .param("space", LOCK_SPACE)
                .param("tenantId", tenantId)
                .query((rs, row) -> row)
                .list();
    }
}
