package io.tessera.query.freshness;

import io.tessera.query.tenancy.TenantTransactions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How far a tenant's read model has got, as stored in {@code projection_positions} (-1: nothing applied yet). An
 * offboarded tenant's row is erased with the rest of it, and its read model is final: every position counts as
 * applied ({@link Long#MAX_VALUE}), so that no read waits for what will never come.
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
                () -> jdbc.sql("""
                                SELECT COALESCE(
                                    (SELECT position FROM projection_positions WHERE tenant_id = :tenantId),
                                    CASE WHEN EXISTS (SELECT 1 FROM tenants WHERE id = :tenantId AND status = 'offboarded')
                                         THEN :final ELSE -1 END)
                                """)
                        .param("tenantId", tenantId)
                        .param("final", Long.MAX_VALUE)
                        .query(Long.class)
                        .single());
    }
}
