package io.tessera.query.tenancy;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How far a tenant's read model has got, as stored in {@code projection_positions} (-1: nothing applied yet).
 * Read-your-writes (projection) and the cache's freshness check (cache) both ask; it lives here because the
 * projection package already depends on the cache.
 */
@Component
public class ProjectionPositions {

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;

    ProjectionPositions(JdbcClient jdbc, TenantTransactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    public long applied(String tenantId) {
        return transactions.read(
                tenantId,
                () -> jdbc.sql("SELECT position FROM projection_positions WHERE tenant_id = :tenantId")
                        .param("tenantId", tenantId)
                        .query(Long.class)
                        .optional()
                        .orElse(-1L));
    }
}
