package io.tessera.benchmarks.reads;

import io.tessera.events.EventCatalog;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.workflow.WorkflowCreated;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The database part of the uncached query side's answer to each read of the S1 mix (TenantTransactions,
 * ListingQueries, TenantQueries), on one connection of the query side's login: a read-only transaction in the API
 * role with the tenant's setting, so row-level security adds its predicate as it does for the API, and the API's
 * statement texts with the same parameters (LIMIT and OFFSET too), so PostgreSQL plans them alike. Left out: the
 * rate limiter's bucket, HTTP, JSON; the connections are shared by {@link ReadConnections}.
 */
final class ReadSql implements AutoCloseable {

    /** What {@link #run} sends per read, beside the read's own statements. */
    static final String PER_READ =
            "BEGIN READ ONLY, SET LOCAL ROLE tessera_query_api, set_config(tenant), the read's statements, COMMIT";

    private static final String COLUMNS = "tenant_id, id, project_name, status, url, created_at, updated_at, version";
    private static final String LIVE = "tenant_id = ? AND deleted_at IS NULL";
    private static final String FILTERED = LIVE + " AND status = ? AND lower(project_name) LIKE ? ESCAPE '\\'";
    private static final String NEWEST = " ORDER BY created_at DESC, id DESC";

    private static final String DEPLOYMENT_CREATED = EventCatalog.typeOf(DeploymentCreated.class);
    private static final String WORKFLOW_CREATED = EventCatalog.typeOf(WorkflowCreated.class);

    private final Connection db;
    private final PreparedStatement role;
    private final PreparedStatement tenantSetting;
    private final PreparedStatement count;
    private final PreparedStatement first;
    private final PreparedStatement after;
    private final PreparedStatement filteredCount;
    private final PreparedStatement filtered;
    private final PreparedStatement known;
    private final PreparedStatement stats;
    private final PreparedStatement created;
    private final PreparedStatement quotas;
    private long statements;

    /** {@code db}: a login of the query side, its schema set as the query side's pool sets it. */
    ReadSql(Connection db) throws SQLException {
        this.db = db;
        db.setAutoCommit(false);
        db.setReadOnly(true);
        role = db.prepareStatement("SET LOCAL ROLE tessera_query_api");
        tenantSetting = db.prepareStatement("SELECT set_config(?, ?, true)");
        count = db.prepareStatement("SELECT count(*) FROM deployments WHERE " + LIVE);
        first = db.prepareStatement("SELECT " + COLUMNS + " FROM deployments WHERE " + LIVE + NEWEST + " LIMIT ?");
        after = db.prepareStatement("SELECT " + COLUMNS + " FROM deployments WHERE " + LIVE
                + " AND created_at <= ? AND (created_at < ? OR id < ?)" + NEWEST + " LIMIT ?");
        filteredCount = db.prepareStatement("SELECT count(*) FROM deployments WHERE " + FILTERED);
        filtered = db.prepareStatement(
                "SELECT " + COLUMNS + " FROM deployments WHERE " + FILTERED + NEWEST + " LIMIT ? OFFSET ?");
        known = db.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM tenants WHERE id = ? AND status = 'offboarded')"
                + " AND (EXISTS (SELECT 1 FROM tenants WHERE id = ?)"
                + " OR EXISTS (SELECT 1 FROM projection_positions WHERE tenant_id = ?))");
        stats = db.prepareStatement("SELECT kind, status, count, updated_at FROM tenant_stats WHERE tenant_id = ?");
        created = db.prepareStatement("SELECT type, count(*) AS created FROM event_log WHERE tenant_id = ?"
                + " AND type IN (?, ?) AND time > now() - interval '1 hour' GROUP BY type");
        quotas = db.prepareStatement("SELECT deployments_per_hour, workflows_per_hour FROM tenants WHERE id = ?");
    }

    /** A row's place in the newest-first order: where the next page starts. */
    record Key(OffsetDateTime createdAt, String id) {}

    /** Runs one read; for a page, returns the key after which the next page starts (null: no next page). */
    Key run(ReadKind kind, String tenant, Key from) throws SQLException {
        try {
            role.execute();
            tenantSetting.setString(1, "tessera.tenant_id");
            tenantSetting.setString(2, tenant);
            drain(tenantSetting);
            statements += 2;
            Key next = read(kind, tenant, from);
            db.commit();
            return next;
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

    /** Statements sent since this connection opened, transaction ends not counted (as the API's meter counts). */
    long statements() {
        return statements;
    }

    private Key read(ReadKind kind, String tenant, Key from) throws SQLException {
        switch (kind) {
            case FIRST_PAGE, DEEP_PAGE -> {
                count.setString(1, tenant);
                drain(count);
                PreparedStatement page = from == null ? first : after;
                page.setString(1, tenant);
                if (from == null) {
                    page.setInt(2, ReadKind.PAGE_SIZE + 1);
                } else {
                    page.setObject(2, from.createdAt());
                    page.setObject(3, from.createdAt());
                    page.setString(4, from.id());
                    page.setInt(5, ReadKind.PAGE_SIZE + 1);
                }
                statements += 2;
                List<Key> keys = rows(page);
                return keys.size() > ReadKind.PAGE_SIZE ? keys.get(ReadKind.PAGE_SIZE - 1) : null;
            }
            case FILTER -> {
                for (PreparedStatement statement : List.of(filteredCount, filtered)) {
                    statement.setString(1, tenant);
                    statement.setString(2, ReadKind.FILTER_STATUS);
                    statement.setString(3, "%" + ReadKind.FILTER_TEXT + "%");
                }
                filtered.setInt(4, ReadKind.PAGE_SIZE);
                filtered.setInt(5, 0);
                drain(filteredCount);
                rows(filtered);
                statements += 2;
                return null;
            }
            case STATS -> {
                known.setString(1, tenant);
                known.setString(2, tenant);
                known.setString(3, tenant);
                drain(known);
                created.setString(2, DEPLOYMENT_CREATED);
                created.setString(3, WORKFLOW_CREATED);
                for (PreparedStatement statement : List.of(stats, created, quotas)) {
                    statement.setString(1, tenant);
                    drain(statement);
                }
                statements += 4;
                return null;
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
    }

    /** The page's rows read as the API maps them; the keys of all of them. */
    private static List<Key> rows(PreparedStatement page) throws SQLException {
        List<Key> keys = new ArrayList<>(ReadKind.PAGE_SIZE + 1);
        try (ResultSet rs = page.executeQuery()) {
            while (rs.next()) {
                rs.getString("tenant_id");
                rs.getString("project_name");
                rs.getString("status");
                rs.getString("url");
                rs.getObject("updated_at", OffsetDateTime.class);
                rs.getLong("version");
                keys.add(new Key(rs.getObject("created_at", OffsetDateTime.class), rs.getString("id")));
            }
        }
        return keys;
    }

    private static void drain(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int c = 1; c <= columns; c++) {
                    rs.getObject(c);
                }
            }
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
