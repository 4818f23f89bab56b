package io.tessera.query.deployment;

import static io.tessera.query.paging.ListingQueries.utc;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.RebuildableProjection;
import io.tessera.query.projection.StatsCounter;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code deployments}. A creation inserts unless the row exists; a change applies only to a row
 * whose version is below the event's sequence. Counters move only when a row did.
 */
@Component
class DeploymentProjection implements RebuildableProjection {

    private final JdbcClient jdbc;
    private final StatsCounter stats;

    DeploymentProjection(JdbcClient jdbc, StatsCounter stats) {
        this.jdbc = jdbc;
        this.stats = stats;
    }

    @Override
    public String table() {
        return "deployments";
    }

    @Override
    public String statsKind() {
        return StatsCounter.DEPLOYMENT;
    }

    @Override
    public void apply(ProjectedEvent event) {
        if (event.data() instanceof DeploymentCreated created) {
            created(event, created);
        } else if (event.data() instanceof DeploymentStatusChanged changed) {
            statusChanged(event, changed);
        } else if (event.data() instanceof DeploymentUrlChanged changed) {
            urlChanged(event, changed);
        } else if (event.data() instanceof DeploymentDeleted deleted) {
            deleted(event, deleted);
        }
    }

    private void created(ProjectedEvent event, DeploymentCreated created) {
        int inserted = jdbc.sql("""
                        INSERT INTO deployments (tenant_id, id, project_name, status, url, created_at, updated_at, version)
                        VALUES (:tenantId, :id, :projectName, :status, :url, :createdAt, :time, :sequence)
                        ON CONFLICT DO NOTHING
                        """)
                .param("tenantId", event.tenantId())
                .param("id", created.deploymentId())
                .param("projectName", created.projectName())
                .param("status", created.status().jsonName())
                .param("url", created.url())
                .param("time", utc(event.time()))
                .param("createdAt", utc(event.createdAt()))
                .param("sequence", event.sequence())
                .update();
        if (inserted == 1) {
            stats.added(
                    event.tenantId(), StatsCounter.DEPLOYMENT, created.status().jsonName(), event.time());
        }
    }

    private void statusChanged(ProjectedEvent event, DeploymentStatusChanged changed) {
        String to = changed.to().jsonName();
        Optional<String> from = jdbc.sql("""
                        UPDATE deployments d SET status = :status, version = :sequence, updated_at = :time
                        FROM (SELECT id, status FROM deployments WHERE tenant_id = :tenantId AND id = :id FOR UPDATE) old
                        WHERE d.tenant_id = :tenantId AND d.id = :id AND old.id = d.id
                          AND d.version < :sequence AND d.deleted_at IS NULL
                        RETURNING old.status
                        """)
                .param("tenantId", event.tenantId())
                .param("id", changed.deploymentId())
                .param("status", to)
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .query(String.class)
                .optional();
        from.ifPresent(old -> stats.moved(event.tenantId(), StatsCounter.DEPLOYMENT, old, to, event.time()));
    }

    private void urlChanged(ProjectedEvent event, DeploymentUrlChanged changed) {
        jdbc.sql("""
                        UPDATE deployments SET url = :url, version = :sequence, updated_at = :time
                        WHERE tenant_id = :tenantId AND id = :id AND version < :sequence AND deleted_at IS NULL
                        """)
                .param("tenantId", event.tenantId())
                .param("id", changed.deploymentId())
                .param("url", changed.url())
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .update();
    }

    private void deleted(ProjectedEvent event, DeploymentDeleted deleted) {
        Optional<String> last = jdbc.sql("""
                        UPDATE deployments SET deleted_at = :time, version = :sequence, updated_at = :time
                        WHERE tenant_id = :tenantId AND id = :id AND version < :sequence AND deleted_at IS NULL
                        RETURNING status
                        """)
                .param("tenantId", event.tenantId())
                .param("id", deleted.deploymentId())
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .query(String.class)
                .optional();
        last.ifPresent(status -> stats.removed(event.tenantId(), StatsCounter.DEPLOYMENT, status, event.time()));
    }
}
