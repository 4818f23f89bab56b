package io.tessera.query.projection;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;

/**
 * One row of {@code event_log}, read the same way for the rebuilds (which replay it), the audit chain (which hashes
 * it) and the API ({@code GET /api/events} and the histories, which show it without the tenant, known from the
 * request): {@code data} is PostgreSQL's text of the jsonb, passed through as it is since the chain hashes that
 * text; {@code hash} and {@code previousHash} are null until the row is chained; {@code cloudEvent} is the record as
 * the command side signed it (null for events logged before it was kept). With them, an export is checked offline:
 * {@code ./tessera verify}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LoggedEvent(
        @JsonIgnore String tenantId,
        @JsonProperty("position") long position,
        @JsonProperty("id") String eventId,
        @JsonProperty("type") String type,
        @JsonProperty("subject") String subject,
        @JsonProperty("sequence") long sequence,
        @JsonProperty("time") Instant time,
        @JsonProperty("actor") String actor,
        @JsonProperty("command_id") String commandId,
        @JsonProperty("data") @JsonRawValue String data,
        @JsonIgnore Instant legacyCreatedAt,
        @JsonProperty("previous_hash") String previousHash,
        @JsonProperty("hash") String hash,
        @JsonProperty("cloudevent") @JsonRawValue String cloudEvent) {

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

    public static LoggedEvent read(ResultSet rs, int row) throws SQLException {
        return new LoggedEvent(
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
