package io.tessera.query.tenant;

import io.tessera.events.EventCatalog;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.query.projection.EventProjection;
import io.tessera.query.projection.ProjectedEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Removes everything of an offboarded tenant from the query side's tables: deployments, workflows, users, their
 * counters, its dead letters (records as received), its applied position, the administrative acts of its audit
 * log and its event log, except the offboarding event, which stays as the audit record. The tenants row is kept
 * as a tombstone (status {@code offboarded}, see {@link TenantProjection}), and the dispatcher applies no event
 * and records no position of a tombstoned tenant again, so a redelivered creation cannot bring a row back.
 *
 * <p>The events stay in Kafka ({@code tessera.events}) and in the command side's event store; their personal data
 * cannot be opened, since offboarding also shreds the tenant's data keys (the command side's
 * {@code ShreddedDataKeys}).
 */
@Component
class TenantOffboardingProjection implements EventProjection {

    private static final String OFFBOARDED = EventCatalog.typeOf(TenantOffboarded.class);

    private final JdbcClient jdbc;

    TenantOffboardingProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void apply(ProjectedEvent event) {
        if (!(event.data() instanceof TenantOffboarded)) {
            return;
        }
        for (String table : new String[] {
            "deployments",
            "workflows",
            "users",
            "tenant_stats",
            "dead_letters",
            "projection_positions",
            "administrative_acts"
        }) {
            jdbc.sql("DELETE FROM " + table + " WHERE tenant_id = :tenantId")
                    .param("tenantId", event.tenantId())
                    .update();
        }
        jdbc.sql("DELETE FROM event_log WHERE tenant_id = :tenantId AND type <> :offboarded")
                .param("tenantId", event.tenantId())
                .param("offboarded", OFFBOARDED)
                .update();
    }
}
