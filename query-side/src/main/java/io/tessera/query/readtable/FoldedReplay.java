package io.tessera.query.readtable;

import static io.tessera.query.paging.ListingQueries.utc;

import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.StatsCounter;
import io.tessera.query.readtable.ReadTableProjection.Changed;
import io.tessera.query.readtable.ReadTableProjection.Column;
import io.tessera.query.readtable.ReadTableProjection.Created;
import io.tessera.query.readtable.ReadTableProjection.Deleted;
import io.tessera.query.readtable.ReadTableProjection.RowChange;
import io.tessera.query.readtable.ReadTableProjection.StatusChanged;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * A rebuild's chunk folded in memory by the rules of {@link ReadTableProjection#apply}, into a table no one else
 * writes meanwhile: the rows the chunk names read in one statement, then each changed row written once and the
 * counters once, in two batches instead of a statement or two an event.
 */
final class FoldedReplay {

    private final String table;
    private final String statsKind;
    private final List<Column> columns;
    private final JdbcTemplate batches;
    private final StatsCounter stats;

    FoldedReplay(String table, String statsKind, List<Column> columns, JdbcTemplate batches, StatsCounter stats) {
        this.table = table;
        this.statsKind = statsKind;
        this.columns = columns;
        this.batches = batches;
        this.stats = stats;
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

    /** The chunk's events with the change each makes (null: none). */
    void apply(List<ProjectedEvent> events, List<RowChange> changes) {
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
