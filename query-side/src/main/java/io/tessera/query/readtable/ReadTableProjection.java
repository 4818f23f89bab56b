package io.tessera.query.readtable;

import static io.tessera.query.paging.ListingQueries.utc;

import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.RebuildableProjection;
import io.tessera.query.projection.StatsCounter;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
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

        private String written(String placeholder) {
            return json ? "CAST(" + placeholder + " AS jsonb)" : placeholder;
        }

        private String read() {
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
    private final JdbcTemplate batches;
    private final StatsCounter stats;

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
        this.batches = batches;
        this.stats = stats;
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

    /** A row as a replay folds it. */
    private static final class Row {
        String[] values;
        String status;
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
        List<RowChange> changes =
                events.stream().map(event -> changeOf(event.data())).toList();
        Map<RowKey, Row> rows = stored(events, changes);
        StatsCounter.Tally tally = new StatsCounter.Tally();
        for (int i = 0; i < events.size(); i++) {
            ProjectedEvent event = events.get(i);
            RowChange change = changes.get(i);
            if (change == null) {
                continue;
            }
            String tenantId = event.tenantId();
            RowKey key = new RowKey(tenantId, change.id());
            if (change instanceof Created created) {
                if (!rows.containsKey(key)) {
                    Row row = new Row();
                    row.values = created.values().toArray(String[]::new);
                    row.status = created.status();
                    row.createdAt = utc(event.createdAt());
                    row.updatedAt = utc(event.time());
                    row.version = event.sequence();
                    row.changed = true;
                    rows.put(key, row);
                    tally.added(tenantId, statsKind, row.status, event.time());
                }
                continue;
            }
            Row row = rows.get(key);
            if (row == null || !row.takes(event)) {
                continue;
            }
            if (change instanceof StatusChanged changed) {
                tally.moved(tenantId, statsKind, row.status, changed.to(), event.time());
                row.status = changed.to();
            } else if (change instanceof Changed changed) {
                row.values[columns.indexOf(changed.column())] = changed.value();
            } else if (change instanceof Deleted) {
                tally.removed(tenantId, statsKind, row.status, event.time());
                row.deletedAt = utc(event.time());
            }
            row.moved(event);
        }
        write(rows);
        stats.write(tally);
    }

    private void write(Map<RowKey, Row> rows) {
        List<Object[]> written = new ArrayList<>();
        rows.forEach((key, row) -> {
            if (row.changed) {
                List<Object> values = new ArrayList<>(List.of(key.tenantId(), key.id()));
                values.addAll(Arrays.asList(row.values));
                values.addAll(Arrays.asList(row.status, row.createdAt, row.updatedAt, row.deletedAt, row.version));
                written.add(values.toArray());
            }
        });
        if (written.isEmpty()) {
            return;
        }
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        String placeholders =
                columns.stream().map(column -> column.written("?")).collect(Collectors.joining(", "));
        String updates = columns.stream()
                .map(column -> column.name() + " = EXCLUDED." + column.name())
                .collect(Collectors.joining(", "));
        batches.batchUpdate(
                "INSERT INTO " + table + " (tenant_id, id, " + names
                        + ", status, created_at, updated_at, deleted_at, version)"
                        + " VALUES (?, ?, " + placeholders + ", ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (tenant_id, id) DO UPDATE SET " + updates
                        + ", status = EXCLUDED.status, created_at = EXCLUDED.created_at,"
                        + " updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at,"
                        + " version = EXCLUDED.version",
                written);
    }

    /** The stored rows of the resources the events name, in one statement. */
    private Map<RowKey, Row> stored(List<ProjectedEvent> events, List<RowChange> changes) {
        Set<RowKey> named = new LinkedHashSet<>();
        for (int i = 0; i < events.size(); i++) {
            if (changes.get(i) != null) {
                named.add(new RowKey(events.get(i).tenantId(), changes.get(i).id()));
            }
        }
        Map<RowKey, Row> rows = new HashMap<>();
        if (named.isEmpty()) {
            return rows;
        }
        String read = columns.stream().map(Column::read).collect(Collectors.joining(", "));
        batches.query(
                "SELECT r.tenant_id, r.id, " + read
                        + ", r.status, r.created_at, r.updated_at, r.deleted_at, r.version FROM " + table + " r"
                        + " JOIN unnest(?, ?) AS n(tenant_id, id) ON n.tenant_id = r.tenant_id AND n.id = r.id",
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
                    row.values = new String[columns.size()];
                    for (int i = 0; i < columns.size(); i++) {
                        row.values[i] = rs.getString(columns.get(i).name());
                    }
                    row.status = rs.getString("status");
                    row.createdAt = rs.getObject("created_at", OffsetDateTime.class);
                    row.updatedAt = rs.getObject("updated_at", OffsetDateTime.class);
                    row.deletedAt = rs.getObject("deleted_at", OffsetDateTime.class);
                    row.version = rs.getLong("version");
                    rows.put(new RowKey(rs.getString("tenant_id"), rs.getString("id")), row);
                });
        return rows;
    }
}
