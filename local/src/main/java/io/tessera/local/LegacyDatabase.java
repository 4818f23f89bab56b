package io.tessera.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The old single-tenant database, read-only: its {@code users}, {@code deployments} and {@code workflows}
 * (infra/sample-legacy/schema.sql), each in id order, each row turned by {@link LegacyMapping} into the
 * body of one import row, or into the reason it cannot be imported.
 */
final class LegacyDatabase implements AutoCloseable {

    /** The tables in import order, with the import endpoint each goes to. */
    enum Table {
        USERS("users"),
        DEPLOYMENTS("deployments"),
        WORKFLOWS("workflows");

        final String name;

        Table(String name) {
            this.name = name;
        }
    }

    /** One legacy row: its import body ({@code legacy_id} included), or why it is left out. */
    record Row(Table table, String legacyId, Map<String, Object> body, String problem, boolean duplicate) {}

    private final Connection connection;

    LegacyDatabase(String url, String user, String password, String schema) throws SQLException {
        connection = DriverManager.getConnection(url, user, password);
        connection.setReadOnly(true);
        connection.setAutoCommit(false);
        if (schema != null) {
            try (PreparedStatement set = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
                set.setString(1, schema);
                set.execute();
            }
        }
    }

    long count(Table table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table.name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of the table in id order; a cursor, so a large table is not held in memory. */
    void read(Table table, Consumer<Row> rows) throws SQLException {
        String query = switch (table) {
            case USERS -> "SELECT id, email, role, created_at FROM users ORDER BY id";
            case DEPLOYMENTS -> "SELECT id, project_name, status, url, created_at FROM deployments ORDER BY id";
            case WORKFLOWS -> "SELECT id, name, status, config, created_at FROM workflows ORDER BY id";
        };
        Map<String, String> firstWithEmail = new HashMap<>();
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(500);
            try (ResultSet rs = statement.executeQuery(query)) {
                while (rs.next()) {
                    rows.accept(
                            switch (table) {
                                case USERS -> user(rs, firstWithEmail);
                                case DEPLOYMENTS -> deployment(rs);
                                case WORKFLOWS -> workflow(rs);
                            });
                }
            }
        } finally {
            connection.rollback();
        }
    }

    private static Row deployment(ResultSet rs) throws SQLException {
        String legacyId = rs.getString("id");
        String status = rs.getString("status");
        Map<String, Object> body = body(legacyId, rs.getObject("created_at", java.time.LocalDateTime.class));
        body.put("project_name", rs.getString("project_name"));
        body.put("url", LegacyMapping.url(rs.getString("url")));
        return LegacyMapping.deploymentStatus(status)
                .map(mapped -> {
                    body.put("status", mapped);
                    return new Row(Table.DEPLOYMENTS, legacyId, body, null, false);
                })
                .orElseGet(() -> new Row(Table.DEPLOYMENTS, legacyId, null, "unknown status '" + status + "'", false));
    }

    private static Row workflow(ResultSet rs) throws SQLException {
        String legacyId = rs.getString("id");
        String status = rs.getString("status");
        Map<String, Object> body = body(legacyId, rs.getObject("created_at", OffsetDateTime.class));
        body.put("name", rs.getString("name"));
        body.put("config", LegacyMapping.config(rs.getString("config")));
        return LegacyMapping.workflowStatus(status)
                .map(mapped -> {
                    body.put("status", mapped);
                    return new Row(Table.WORKFLOWS, legacyId, body, null, false);
                })
                .orElseGet(() -> new Row(Table.WORKFLOWS, legacyId, null, "unknown status '" + status + "'", false));
    }

    private static Row user(ResultSet rs, Map<String, String> firstWithEmail) throws SQLException {
        String legacyId = rs.getString("id");
        String email = LegacyMapping.email(rs.getString("email"));
        String role = rs.getString("role");
        String first = firstWithEmail.putIfAbsent(email, legacyId);
        if (first != null) {
            return new Row(Table.USERS, legacyId, null, "same e-mail as legacy user " + first, true);
        }
        Map<String, Object> body = body(legacyId, rs.getLong("created_at"));
        body.put("email", email);
        return LegacyMapping.role(role)
                .map(mapped -> {
                    body.put("role", mapped);
                    return new Row(Table.USERS, legacyId, body, null, false);
                })
                .orElseGet(() -> new Row(Table.USERS, legacyId, null, "unknown role '" + role + "'", false));
    }

    private static Map<String, Object> body(String legacyId, Object createdAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legacy_id", legacyId);
        body.put("created_at", LegacyMapping.instant(createdAt).toString());
        return body;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
