package io.tessera.query.admin;

import io.tessera.query.tenancy.TenantTransactions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records an administrative act of the query side in the audit log of each tenant it touches
 * ({@code administrative_acts}, shown by {@code GET /api/audit} among the tenant's events): acts that are no
 * aggregate's event, so the command side cannot store them. Any operator endpoint of the query side records its
 * act here after the act was started or done, with the token's subject as actor.
 */
@Component
class AdministrativeActs {

    /** What was done to what: {@code action} as the audit log shows it ({@code projection.rebuild-started}). */
    record Act(String action, String resourceType, String resourceId) {}

    private static final String TENANT_POSITION =
            "COALESCE((SELECT p.position FROM projection_positions p WHERE p.tenant_id = t.id), 0)";

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;

    AdministrativeActs(JdbcClient jdbc, TenantTransactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** In the audit log of one tenant; nothing for an offboarded tenant, whose log is gone but its offboarding. */
    void record(String tenantId, String actor, Act act) {
        transactions.project(() -> insert("t.id = :tenantId", actor, act)
                .param("tenantId", tenantId)
                .update());
    }

    /** In the audit log of every tenant that is not offboarded: an act on a whole read table touches them all. */
    void recordForEveryTenant(String actor, Act act) {
        transactions.project(() -> insert("TRUE", actor, act).update());
    }

    private JdbcClient.StatementSpec insert(String which, String actor, Act act) {
        return jdbc.sql(
                        "INSERT INTO administrative_acts (tenant_id, position, actor, action, resource_type, resource_id)"
                                + " SELECT t.id, " + TENANT_POSITION + ", :actor, :action, :resourceType, :resourceId"
                                + " FROM tenants t WHERE t.status <> 'offboarded' AND " + which)
                .param("actor", actor)
                .param("action", act.action())
                .param("resourceType", act.resourceType())
                .param("resourceId", act.resourceId());
    }
}
