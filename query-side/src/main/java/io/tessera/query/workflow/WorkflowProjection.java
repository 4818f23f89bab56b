package io.tessera.query.workflow;

import static io.tessera.query.paging.ListingQueries.utc;

import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowDeleted;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatusChanged;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.StatsCounter;
import io.tessera.query.rebuild.RebuildableProjection;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps {@code workflows}. A creation inserts unless the row exists; a change applies only to a row
 * whose version is below the event's sequence. Counters move only when a row did.
 */
@Component
class WorkflowProjection implements RebuildableProjection {

    private final JdbcClient jdbc;
    private final StatsCounter stats;
    private final JsonMapper jsonMapper;

    WorkflowProjection(JdbcClient jdbc, StatsCounter stats, JsonMapper jsonMapper) {
        this.jdbc = jdbc;
        this.stats = stats;
        this.jsonMapper = jsonMapper;
    }

    @Override
    public String table() {
        return "workflows";
    }

    @Override
    public String statsKind() {
        return StatsCounter.WORKFLOW;
    }

    @Override
    public void apply(ProjectedEvent event) {
        if (event.data() instanceof WorkflowCreated created) {
            created(event, created);
        } else if (event.data() instanceof WorkflowStatusChanged changed) {
            statusChanged(event, changed);
        } else if (event.data() instanceof WorkflowRenamed renamed) {
            change(event, renamed.workflowId(), "name = :value", renamed.name());
        } else if (event.data() instanceof WorkflowConfigChanged changed) {
            change(event, changed.workflowId(), "config = CAST(:value AS jsonb)", json(changed.config()));
        } else if (event.data() instanceof WorkflowDeleted deleted) {
            deleted(event, deleted);
        }
    }

    private void created(ProjectedEvent event, WorkflowCreated created) {
        int inserted = jdbc.sql("""
                        INSERT INTO workflows (tenant_id, id, name, status, config, created_at, updated_at, version)
                        VALUES (:tenantId, :id, :name, :status, CAST(:config AS jsonb), :createdAt, :time, :sequence)
                        ON CONFLICT DO NOTHING
                        """)
                .param("tenantId", event.tenantId())
                .param("id", created.workflowId())
                .param("name", created.name())
                .param("status", created.status().jsonName())
                .param("config", json(created.config()))
                .param("time", utc(event.time()))
                .param("createdAt", utc(event.createdAt()))
                .param("sequence", event.sequence())
                .update();
        if (inserted == 1) {
            stats.added(
                    event.tenantId(), StatsCounter.WORKFLOW, created.status().jsonName(), event.time());
        }
    }

    private void statusChanged(ProjectedEvent event, WorkflowStatusChanged changed) {
        String to = changed.to().jsonName();
        Optional<String> from = jdbc.sql("""
                        UPDATE workflows w SET status = :status, version = :sequence, updated_at = :time
                        FROM (SELECT id, status FROM workflows WHERE tenant_id = :tenantId AND id = :id FOR UPDATE) old
                        WHERE w.tenant_id = :tenantId AND w.id = :id AND old.id = w.id
                          AND w.version < :sequence AND w.deleted_at IS NULL
                        RETURNING old.status
                        """)
                .param("tenantId", event.tenantId())
                .param("id", changed.workflowId())
                .param("status", to)
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .query(String.class)
                .optional();
        from.ifPresent(old -> stats.moved(event.tenantId(), StatsCounter.WORKFLOW, old, to, event.time()));
    }

    /** {@code assignment} is a constant of this class, never input. */
    private void change(ProjectedEvent event, String id, String assignment, String value) {
        jdbc.sql("UPDATE workflows SET " + assignment + ", version = :sequence, updated_at = :time"
                        + " WHERE tenant_id = :tenantId AND id = :id AND version < :sequence AND deleted_at IS NULL")
                .param("tenantId", event.tenantId())
                .param("id", id)
                .param("value", value)
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .update();
    }

    private void deleted(ProjectedEvent event, WorkflowDeleted deleted) {
        Optional<String> last = jdbc.sql("""
                        UPDATE workflows SET deleted_at = :time, version = :sequence, updated_at = :time
                        WHERE tenant_id = :tenantId AND id = :id AND version < :sequence AND deleted_at IS NULL
                        RETURNING status
                        """)
                .param("tenantId", event.tenantId())
                .param("id", deleted.workflowId())
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .query(String.class)
                .optional();
        last.ifPresent(status -> stats.removed(event.tenantId(), StatsCounter.WORKFLOW, status, event.time()));
    }

    private String json(Map<String, Object> config) {
        return jsonMapper.writeValueAsString(config == null ? Map.of() : config);
    }
}
