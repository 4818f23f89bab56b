package io.tessera.query.readtable;

import static io.tessera.query.paging.ListingQueries.utc;

import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.StatsCounter;
import io.tessera.query.rebuild.RebuildableProjection;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps a resource table from its feature's events, which the feature turns into {@link RowChange}s. A creation
 * inserts unless the row exists; a change applies only to a row that is not deleted and whose version is below
 * the event's sequence. Counters move only when a row did.
 */
public abstract class ReadTableProjection implements RebuildableProjection {

    /** A column of the feature's own: text, or a JSON object written as text into {@code jsonb}. */
    public record Column(String name, boolean json) {

        public static Column text(String name) {
            return new Column(name, false);
        }

        public static Column json(String name) {
            return new Column(name, true);
        }

        String written(String placeholder) {
            return json ? "CAST(" + placeholder + " AS jsonb)" : placeholder;
        }

        String read() {
            return json ? "r." + name + "::text AS " + name : "r." + name;
        }
    }

    /** What an event does to the row of the resource it names. */
    public sealed interface RowChange permits Created, StatusChanged, Changed, Deleted {
        String id();
    }

    /** {@code values}: one for each of the feature's own columns, in their order. */
    public record Created(String id, String status, List<String> values) implements RowChange {

        public Created(String id, String status, String... values) {
            this(id, status, Arrays.asList(values));
        }
    }

    public record StatusChanged(String id, String to) implements RowChange {}

    public record Changed(String id, Column column, String value) implements RowChange {}

    public record Deleted(String id) implements RowChange {}

    private final String table;
    private final String statsKind;
    private final List<Column> columns;
    private final JdbcClient jdbc;
    private final StatsCounter stats;
    private final FoldedReplay replay;

    protected ReadTableProjection(
            String table,
            String statsKind,
            List<Column> columns,
            JdbcClient jdbc,
            JdbcTemplate batches,
            StatsCounter stats) {
        this.table = table;
        this.statsKind = statsKind;
        this.columns = List.copyOf(columns);
        this.jdbc = jdbc;
        this.stats = stats;
        this.replay = new FoldedReplay(table, statsKind, this.columns, batches, stats);
    }

    /** What the event does to this table, or null when it is not one of the feature's events. */
    protected abstract RowChange changeOf(Object data);

    @Override
    public final String table() {
        return table;
    }

    @Override
    public final String statsKind() {
        return statsKind;
    }

    @Override
    public void apply(ProjectedEvent event) {
        RowChange change = changeOf(event.data());
        if (change instanceof Created created) {
            created(event, created);
        } else if (change instanceof StatusChanged changed) {
            statusChanged(event, changed);
        } else if (change instanceof Changed changed) {
            changed(event, changed);
        } else if (change instanceof Deleted deleted) {
            deleted(event, deleted);
        }
    }

    private void created(ProjectedEvent event, Created created) {
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        String values = columns.stream()
                .map(column -> column.written(":" + column.name()))
                .collect(Collectors.joining(", "));
        JdbcClient.StatementSpec insert = jdbc.sql("INSERT INTO " + table + " (tenant_id, id, " + names
                        + ", status, created_at, updated_at, version)"
                        + " VALUES (:tenantId, :id, " + values + ", :status, :createdAt, :time, :sequence)"
                        + " ON CONFLICT DO NOTHING")
                .param("tenantId", event.tenantId())
                .param("id", created.id())
                .param("status", created.status())
                .param("time", utc(event.time()))
                .param("createdAt", utc(event.createdAt()))
                .param("sequence", event.sequence());
        for (int i = 0; i < columns.size(); i++) {
            insert = insert.param(columns.get(i).name(), created.values().get(i));
        }
        if (insert.update() == 1) {
            stats.added(event.tenantId(), statsKind, created.status(), event.time());
        }
    }

    private void statusChanged(ProjectedEvent event, StatusChanged changed) {
        Optional<String> from = jdbc.sql("UPDATE " + table
                        + " r SET status = :status, version = :sequence, updated_at = :time"
                        + " FROM (SELECT id, status FROM " + table
                        + " WHERE tenant_id = :tenantId AND id = :id FOR UPDATE) old"
                        + " WHERE r.tenant_id = :tenantId AND r.id = :id AND old.id = r.id"
                        + " AND r.version < :sequence AND r.deleted_at IS NULL"
                        + " RETURNING old.status")
                .param("tenantId", event.tenantId())
                .param("id", changed.id())
                .param("status", changed.to())
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .query(String.class)
                .optional();
        from.ifPresent(old -> stats.moved(event.tenantId(), statsKind, old, changed.to(), event.time()));
    }

    private void changed(ProjectedEvent event, Changed changed) {
        jdbc.sql("UPDATE " + table + " SET " + changed.column().name() + " = "
                        + changed.column().written(":value") + ", version = :sequence, updated_at = :time"
                        + " WHERE tenant_id = :tenantId AND id = :id AND version < :sequence AND deleted_at IS NULL")
                .param("tenantId", event.tenantId())
                .param("id", changed.id())
                .param("value", changed.value())
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .update();
    }

    private void deleted(ProjectedEvent event, Deleted deleted) {
        Optional<String> last = jdbc.sql("UPDATE " + table
                        + " SET deleted_at = :time, version = :sequence, updated_at = :time"
                        + " WHERE tenant_id = :tenantId AND id = :id AND version < :sequence AND deleted_at IS NULL"
                        + " RETURNING status")
                .param("tenantId", event.tenantId())
                .param("id", deleted.id())
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .query(String.class)
                .optional();
        last.ifPresent(status -> stats.removed(event.tenantId(), statsKind, status, event.time()));
    }

    /** A rebuild's chunk, folded in memory by the rules of {@link #apply} ({@link FoldedReplay}). */
    @Override
    public void applyAll(List<ProjectedEvent> events) {
        replay.apply(
                events, events.stream().map(event -> changeOf(event.data())).toList());
    }
}
