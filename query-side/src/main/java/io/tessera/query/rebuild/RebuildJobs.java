package io.tessera.query.rebuild;

import io.tessera.query.tenancy.TenantTransactions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The rebuild jobs in {@code projection_rebuilds}: one claim per read table across instances, its progress and its
 * end. A rebuild whose instance died stops writing progress: after two minutes another may take it over.
 */
@Component
class RebuildJobs {

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;

    RebuildJobs(JdbcClient jdbc, TenantTransactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Whether this caller got the table's claim ({@code tenantId} null: every tenant). */
    boolean claim(String name, String tenantId) {
        int claimed = transactions.projecting(() -> jdbc.sql("""
                        INSERT INTO projection_rebuilds (name, only_tenant, state, started_at, updated_at)
                        VALUES (:name, :tenantId, :state, clock_timestamp(), clock_timestamp())
                        ON CONFLICT (name) DO UPDATE
                        SET only_tenant = EXCLUDED.only_tenant, state = EXCLUDED.state, events_replayed = 0,
                            events_total = 0, started_at = EXCLUDED.started_at, updated_at = EXCLUDED.updated_at,
                            finished_at = NULL, error = NULL
                        WHERE projection_rebuilds.state IN ('done', 'failed')
                           OR projection_rebuilds.updated_at < clock_timestamp() - interval '2 minutes'
                        """)
                .param("name", name)
                .param("tenantId", tenantId)
                .param("state", RebuildStatus.BUILDING)
                .update());
        return claimed == 1;
    }

    Map<String, RebuildStatus> stored() {
        return transactions.readAsPlatformAdmin(
                () -> jdbc.sql("SELECT * FROM projection_rebuilds").query(RebuildJobs::status).list().stream()
                        .collect(Collectors.toMap(RebuildStatus::name, s -> s)));
    }

    Optional<RebuildStatus> stored(String name) {
        return transactions.readAsPlatformAdmin(() -> jdbc.sql("SELECT * FROM projection_rebuilds WHERE name = :name")
                .param("name", name)
                .query(RebuildJobs::status)
                .optional());
    }

    void progress(Replay replay, String state) {
        transactions.project(() -> jdbc.sql("""
                        UPDATE projection_rebuilds SET state = :state, events_replayed = :replayed,
                               events_skipped = :skipped, events_total = GREATEST(:total, :replayed),
                               updated_at = clock_timestamp()
                        WHERE name = :name
                        """)
                .param("state", state)
                .param("skipped", replay.skipped)
                .param("replayed", replay.replayed)
                .param("total", replay.total)
                .param("name", replay.name)
                .update());
    }

    void finish(Replay replay, String state, String error) {
        transactions.project(() -> jdbc.sql("""
                        UPDATE projection_rebuilds SET state = :state, events_replayed = :replayed,
                               events_skipped = :skipped, events_total = GREATEST(:total, :replayed),
                               updated_at = clock_timestamp(), finished_at = clock_timestamp(), error = :error
                        WHERE name = :name
                        """)
                .param("state", state)
                .param("skipped", replay.skipped)
                .param("replayed", replay.replayed)
                .param("total", replay.total)
                .param("error", error)
                .param("name", replay.name)
                .update());
    }

    private static RebuildStatus status(ResultSet rs, int row) throws SQLException {
        return RebuildStatus.of(
                rs.getString("name"),
                rs.getString("only_tenant"),
                rs.getString("state"),
                rs.getLong("events_replayed"),
                rs.getLong("events_skipped"),
                rs.getLong("events_total"),
                instant(rs, "started_at"),
                instant(rs, "updated_at"),
                instant(rs, "finished_at"),
                rs.getString("error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
