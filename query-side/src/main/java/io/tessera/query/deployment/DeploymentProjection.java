package io.tessera.query.deployment;

import static io.tessera.query.paging.ListingQueries.utc;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.StatsCounter;
import io.tessera.query.rebuild.RebuildableProjection;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code deployments}. A creation inserts unless the row exists; a change applies only to a row
 * whose version is below the event's sequence. Counters move only when a row did.
 */
@Component
class DeploymentProjection implements RebuildableProjection {

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final StatsCounter stats;

    DeploymentProjection(JdbcClient jdbc, JdbcTemplate batches, StatsCounter stats) {
        this.jdbc = jdbc;
        this.batches = batches;
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

    /** A row of {@code deployments} as a replay folds it. */
    private static final class Row {
        String projectName;
        String status;
        String url;
        OffsetDateTime createdAt;
        OffsetDateTime updatedAt;
        OffsetDateTime deletedAt;
        long version;
        boolean changed;

        boolean takes(ProjectedEvent event) {
            return version < event.sequence() && deletedAt == null;
        }

        void moved(ProjectedEvent event) {
            version = event.sequence();
            updatedAt = utc(event.time());
            changed = true;
        }
    }

    private record RowKey(String tenantId, String id) {}

    /**
     * The chunk folded in memory by the rules of {@link #apply}: the rows it names read in one statement, then
     * each changed row written once and the counters once, in two batches instead of a statement or two an event.
     */
    @Override
    public void applyAll(List<ProjectedEvent> events) {
        Map<RowKey, Row> rows = stored(events);
        StatsCounter.Tally tally = new StatsCounter.Tally();
        for (ProjectedEvent event : events) {
            String tenantId = event.tenantId();
            if (event.data() instanceof DeploymentCreated created) {
                RowKey key = new RowKey(tenantId, created.deploymentId());
                if (!rows.containsKey(key)) {
                    Row row = new Row();
                    row.projectName = created.projectName();
                    row.status = created.status().jsonName();
                    row.url = created.url();
                    row.createdAt = utc(event.createdAt());
                    row.updatedAt = utc(event.time());
                    row.version = event.sequence();
                    row.changed = true;
                    rows.put(key, row);
                    tally.added(tenantId, StatsCounter.DEPLOYMENT, row.status, event.time());
                }
            } else if (event.data() instanceof DeploymentStatusChanged changed) {
                Row row = rows.get(new RowKey(tenantId, changed.deploymentId()));
                if (row != null && row.takes(event)) {
                    String to = changed.to().jsonName();
                    tally.moved(tenantId, StatsCounter.DEPLOYMENT, row.status, to, event.time());
                    row.status = to;
                    row.moved(event);
                }
            } else if (event.data() instanceof DeploymentUrlChanged changed) {
                Row row = rows.get(new RowKey(tenantId, changed.deploymentId()));
                if (row != null && row.takes(event)) {
                    row.url = changed.url();
                    row.moved(event);
                }
            } else if (event.data() instanceof DeploymentDeleted deleted) {
                Row row = rows.get(new RowKey(tenantId, deleted.deploymentId()));
                if (row != null && row.takes(event)) {
                    tally.removed(tenantId, StatsCounter.DEPLOYMENT, row.status, event.time());
                    row.deletedAt = utc(event.time());
                    row.moved(event);
                }
            }
        }
        List<Object[]> written = new ArrayList<>();
        rows.forEach((key, row) -> {
            if (row.changed) {
                written.add(new Object[] {
                    key.tenantId(),
                    key.id(),
                    row.projectName,
                    row.status,
                    row.url,
                    row.createdAt,
                    row.updatedAt,
                    row.deletedAt,
                    row.version
                });
            }
        });
        if (!written.isEmpty()) {
            batches.batchUpdate("""
                    INSERT INTO deployments
                        (tenant_id, id, project_name, status, url, created_at, updated_at, deleted_at, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (tenant_id, id) DO UPDATE SET project_name = EXCLUDED.project_name,
                        status = EXCLUDED.status, url = EXCLUDED.url, created_at = EXCLUDED.created_at,
                        updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at, version = EXCLUDED.version
                    """, written);
        }
        stats.write(tally);
    }

    private static String deploymentIdOf(Object data) {
        if (data instanceof DeploymentCreated created) {
            return created.deploymentId();
        } else if (data instanceof DeploymentStatusChanged changed) {
            return changed.deploymentId();
        } else if (data instanceof DeploymentUrlChanged changed) {
            return changed.deploymentId();
        } else if (data instanceof DeploymentDeleted deleted) {
            return deleted.deploymentId();
        }
        return null;
    }

    /** The stored rows of the deployments the events name, in one statement. */
    private Map<RowKey, Row> stored(List<ProjectedEvent> events) {
        Set<RowKey> named = new LinkedHashSet<>();
        for (ProjectedEvent event : events) {
            String id = deploymentIdOf(event.data());
            if (id != null) {
                named.add(new RowKey(event.tenantId(), id));
            }
        }
        Map<RowKey, Row> rows = new HashMap<>();
        if (named.isEmpty()) {
            return rows;
        }
        batches.query(
                """
                SELECT d.tenant_id, d.id, d.project_name, d.status, d.url, d.created_at, d.updated_at, d.deleted_at,
                       d.version
                FROM deployments d JOIN unnest(?, ?) AS n(tenant_id, id) ON n.tenant_id = d.tenant_id AND n.id = d.id
                """,
                statement -> {
                    Connection connection = statement.getConnection();
                    statement.setArray(
                            1,
                            connection.createArrayOf(
                                    "text", named.stream().map(RowKey::tenantId).toArray()));
                    statement.setArray(
                            2,
                            connection.createArrayOf(
                                    "text", named.stream().map(RowKey::id).toArray()));
                },
                (RowCallbackHandler) rs -> {
                    Row row = new Row();
                    row.projectName = rs.getString("project_name");
                    row.status = rs.getString("status");
                    row.url = rs.getString("url");
                    row.createdAt = rs.getObject("created_at", OffsetDateTime.class);
                    row.updatedAt = rs.getObject("updated_at", OffsetDateTime.class);
                    row.deletedAt = rs.getObject("deleted_at", OffsetDateTime.class);
                    row.version = rs.getLong("version");
                    rows.put(new RowKey(rs.getString("tenant_id"), rs.getString("id")), row);
                });
        return rows;
    }
}
