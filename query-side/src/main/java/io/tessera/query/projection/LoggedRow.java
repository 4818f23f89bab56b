package io.tessera.query.projection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * One row of {@code event_log} as stored, read the same way for the rebuilds (which replay it) and the audit
 * chain (which hashes it): {@code data} is PostgreSQL's text of the jsonb, {@code hash} and
 * {@code previousHash} are null until the row is chained.
 */
public record LoggedRow(
        String tenantId,
        long position,
        String eventId,
        String type,
        String subject,
        long sequence,
        Instant time,
        String actor,
        String commandId,
        String data,
        Instant legacyCreatedAt,
        String previousHash,
        String hash) {

    /** The select list for {@link #read}, each column qualified by {@code alias} (the FROM's name of event_log). */
    public static String columns(String alias) {
        String a = alias + ".";
        return a + "tenant_id, " + a + "position, " + a + "event_id, " + a + "type, " + a + "subject, " + a
                + "sequence, " + a + "time, " + a + "actor, " + a + "command_id, CAST(" + a + "data AS text) AS data, "
                + a + "legacy_created_at, " + a + "previous_hash, " + a + "hash";
    }

    public static LoggedRow read(ResultSet rs, int row) throws SQLException {
        return new LoggedRow(
                rs.getString("tenant_id"),
                rs.getLong("position"),
                rs.getString("event_id"),
                rs.getString("type"),
                rs.getString("subject"),
                rs.getLong("sequence"),
                rs.getObject("time", OffsetDateTime.class).toInstant(),
                rs.getString("actor"),
                rs.getString("command_id"),
                rs.getString("data"),
                instant(rs.getObject("legacy_created_at", OffsetDateTime.class)),
                rs.getString("previous_hash"),
                rs.getString("hash"));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    ProjectedEvent event(Object payload) {
        return new ProjectedEvent(
                tenantId,
                subject,
                sequence,
                position,
                time,
                payload,
                eventId,
                type,
                actor,
                commandId,
                data,
                legacyCreatedAt);
    }
}
