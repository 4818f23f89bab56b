package io.tessera.query.tenant;

import static io.tessera.query.paging.ListingQueries.utc;

import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.events.tenant.TenantQuotas;
import io.tessera.events.tenant.TenantQuotasChanged;
import io.tessera.events.tenant.TenantReactivated;
import io.tessera.events.tenant.TenantSuspended;
import io.tessera.query.projection.EventProjection;
import io.tessera.query.projection.ProjectedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code tenants}: created once, quotas and status (active, suspended, offboarded) changed by
 * version. The per-creation quota events are the command side's bookkeeping and are not projected.
 */
@Component
class TenantProjection implements EventProjection {

    private static final Logger log = LoggerFactory.getLogger(TenantProjection.class);

    private final JdbcClient jdbc;

    TenantProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void apply(ProjectedEvent event) {
        if (event.data() instanceof TenantCreated created) {
            created(event, created);
        } else if (event.data() instanceof TenantQuotasChanged changed) {
            quotasChanged(event, changed);
        } else if (event.data() instanceof TenantSuspended) {
            statusChanged(event, "suspended");
        } else if (event.data() instanceof TenantReactivated) {
            statusChanged(event, "active");
        } else if (event.data() instanceof TenantOffboarded) {
            statusChanged(event, "offboarded");
        }
    }

    private void statusChanged(ProjectedEvent event, String status) {
        jdbc.sql("""
                        UPDATE tenants SET status = :status, version = :sequence, updated_at = :time
                        WHERE id = :tenantId AND version < :sequence
                        """)
                .param("tenantId", event.tenantId())
                .param("status", status)
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .update();
    }

    private void created(ProjectedEvent event, TenantCreated created) {
        TenantQuotas quotas = created.quotas() == null ? TenantQuotas.DEFAULT : created.quotas();
        int inserted = jdbc.sql("""
                        INSERT INTO tenants (id, name, slug, status, deployments_per_hour, workflows_per_hour,
                                             created_at, updated_at, version)
                        VALUES (:tenantId, :name, :slug, 'active', :deploymentsPerHour, :workflowsPerHour,
                                :time, :time, :sequence)
                        ON CONFLICT DO NOTHING
                        """)
                .param("tenantId", event.tenantId())
                .param("name", created.name())
                .param("slug", created.slug())
                .param("deploymentsPerHour", quotas.deploymentsPerHour())
                .param("workflowsPerHour", quotas.workflowsPerHour())
                .param("time", utc(event.time()))
                .param("sequence", event.sequence())
                .update();
        if (inserted == 0) {
            log.debug("Tenant {} already projected (or its slug is taken)", event.tenantId());
        }
    }

    private void quotasChanged(ProjectedEvent event, TenantQuotasChanged changed) {
        jdbc.sql("""
                        UPDATE tenants SET deployments_per_hour = :deploymentsPerHour,
                                           workflows_per_hour = :workflowsPerHour,
                                           version = :sequence, updated_at = :time
                        WHERE id = :tenantId AND version < :sequence
                        """)
                .param("tenantId", event.tenantId())
                .param("deploymentsPerHour", changed.quotas().deploymentsPerHour())
                .param("workflowsPerHour", changed.quotas().workflowsPerHour())
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .update();
    }
}
