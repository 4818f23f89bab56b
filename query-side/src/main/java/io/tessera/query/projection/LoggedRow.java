package io.tessera.query.projection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;

/**
 * One row of {@code event_log} as stored, read the same way for the rebuilds (which replay it) and the audit
 * chain (which hashes it): {@code data} is PostgreSQL's text of the jsonb, {@code hash} and
 * {@code previousHash} are null until the row is chained, {@code cloudEvent} is the signed record as received (null
 * for events logged before it was kept).
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
        String hash,
        String cloudEvent) {

    /** The first line of the audit chain's canonical form (io.tessera.query.audit.AuditChain). */
    public static final String CHAIN_FORMAT = "tessera.audit.v1";

    /**
     * This row's hash in its tenant's audit chain after {@code previousHash}: SHA-256 of the canonical form that
     * io.tessera.query.audit.AuditChain documents. Public, so that an export is checked offline the same way.
     */
    public String chainHash(String previousHash) {
        StringBuilder canonical = new StringBuilder();
        for (String value : new String[] {
            CHAIN_FORMAT,
            tenantId,
            Long.toString(position),
            eventId,
            type,
            subject,
            Long.toString(sequence),
            time.toString(),
            actor,
            commandId,
            data,
            previousHash
        }) {
            canonical.append(value == null ? "~" : value.length() + ":" + value).append('\n');
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    /** The select list for {@link #read}, each column qualified by {@code alias} (the FROM's name of event_log). */
    public static String columns(String alias) {
        String a = alias + ".";
        return a + "tenant_id, " + a + "position, " + a + "event_id, " + a + "type, " + a + "subject, " + a
                + "sequence, " + a + "time, " + a + "actor, " + a + "command_id, CAST(" + a + "data AS text) AS data, "
                + a + "legacy_created_at, " + a + "previous_hash, " + a + "hash, " + a + "cloudevent";
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
                rs.getString("hash"),
                rs.getString("cloudevent"));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    public ProjectedEvent event(Object payload) {
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
                legacyCreatedAt,
                cloudEvent);
    }
}
