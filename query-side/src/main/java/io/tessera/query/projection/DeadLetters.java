package io.tessera.query.projection;

import io.tessera.query.tenancy.TenantTransactions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The dead-letter store, {@code dead_letters}: what the projections could not apply, kept in the order of
 * each aggregate. While an aggregate has a letter, its later events are stored behind it ({@code waiting})
 * instead of being applied, so they can never overtake it; other aggregates flow on. Everything of a
 * tenant that the projections do runs under that tenant's advisory lock ({@link #lockTenant}), so an event
 * is either queued before a retry looks at the queue again or applied after the retry emptied it.
 */
@Component
public class DeadLetters {

    /** Two-int advisory keys, a space of their own: the command side's bigint tenant locks never collide. */
    static final int LOCK_SPACE = 0x7e55e2a;

    private static final String COLUMNS = "id, tenant_id, aggregate_id, sequence, position, event_id, type, status,"
            + " error, attempts, origin, enqueued_at, last_attempt_at, record";
    private static final int MAX_ERROR_LENGTH = 500;

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final CloudEventReader reader;

    DeadLetters(JdbcClient jdbc, TenantTransactions transactions, CloudEventReader reader) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.reader = reader;
    }

    public record Page(List<DeadLetter> items, long total) {}

    /** One tenant's letters, oldest first; {@code tenantId} null: every tenant's, for a platform admin. */
    public Page list(String tenantId, int page, int perPage) {
        String where = tenantId == null ? "TRUE" : "tenant_id = :tenantId";
        Supplier<Page> query = () -> {
            JdbcClient.StatementSpec count = jdbc.sql("SELECT count(*) FROM dead_letters WHERE " + where);
            JdbcClient.StatementSpec items = jdbc.sql("SELECT " + COLUMNS + " FROM dead_letters WHERE " + where
                            + " ORDER BY enqueued_at, tenant_id, aggregate_id, sequence, position, id"
                            + " LIMIT :limit OFFSET :offset")
                    .param("limit", perPage)
                    .param("offset", (long) (page - 1) * perPage);
            if (tenantId != null) {
                count = count.param("tenantId", tenantId);
                items = items.param("tenantId", tenantId);
            }
            long total = count.query(Long.class).single();
            List<DeadLetter> letters = items.query(DeadLetters::letter).list().stream()
                    .map(DeadLetter::withoutRecord)
                    .toList();
            return new Page(letters, total);
        };
        return tenantId == null ? transactions.readAsPlatformAdmin(query) : transactions.read(tenantId, query);
    }

    /** One letter with its record; {@code tenantId} null: any tenant's, for a platform admin. */
    public Optional<DeadLetter> find(String id, String tenantId) {
        if (tenantId == null) {
            return transactions.readAsPlatformAdmin(
                    () -> jdbc.sql("SELECT " + COLUMNS + " FROM dead_letters WHERE id = :id")
                            .param("id", id)
                            .query(DeadLetters::letter)
                            .optional());
        }
        return transactions.read(
                tenantId,
                () -> jdbc.sql("SELECT " + COLUMNS + " FROM dead_letters WHERE id = :id AND tenant_id = :tenantId")
                        .param("id", id)
                        .param("tenantId", tenantId)
                        .query(DeadLetters::letter)
                        .optional());
    }

    /** Inside a projector transaction: serializes with every other projection work of the tenant. */
    void lockTenant(String tenantId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(:space, hashtext(:tenantId))")
                .param("space", LOCK_SPACE)
                .param("tenantId", tenantId)
                .query((rs, row) -> row)
                .list();
    }

    /** Inside a projector transaction holding the tenant's lock: whether the aggregate has letters. */
    boolean blocked(String tenantId, String aggregateId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM dead_letters WHERE tenant_id = :tenantId"
                        + " AND aggregate_id = :aggregateId)")
                .param("tenantId", tenantId)
                .param("aggregateId", aggregateId)
                .query(Boolean.class)
                .single();
    }

    /** Inside a projector transaction holding the tenant's lock: stores the event behind its aggregate's. */
    void enqueue(ProjectedEvent event, String record, String origin, String status, String error) {
        jdbc.sql("""
                        INSERT INTO dead_letters (id, tenant_id, aggregate_id, sequence, position, event_id, type,
                                                  status, error, record, origin)
                        VALUES (:id, :tenantId, :aggregateId, :sequence, :position, :eventId, :type,
                                :status, :error, :record, :origin)
                        ON CONFLICT DO NOTHING
                        """)
                .param("id", UUID.randomUUID().toString())
                .param("tenantId", event.tenantId())
                .param("aggregateId", event.aggregateId())
                .param("sequence", event.sequence())
                .param("position", event.position())
                .param("eventId", event.eventId())
                .param("type", event.type())
                .param("status", status)
                .param("error", error)
                .param("record", record)
                .param("origin", origin)
                .update();
    }

    /** A readable event that a projection refused: first in its aggregate's queue from now on. */
    void failed(ProjectedEvent event, String record, String origin, Throwable error) {
        transactions.project(() -> {
            lockTenant(event.tenantId());
            enqueue(event, record, origin, DeadLetter.FAILED, describe(error));
        });
    }

    /**
     * A record that cannot be read. Its tenant is kept only when the envelope and the payload agree on it
     * (else the letter is for platform admins only); it blocks no aggregate, since its place is unknown.
     */
    void unreadable(String record, String reason, String origin) {
        CloudEventReader.Claims claims = reader.claims(record);
        String owner = claims.tenantId();
        String id = claims.eventId();
        String kind = claims.type();
        transactions.project(() -> jdbc.sql("""
                        INSERT INTO dead_letters (id, tenant_id, event_id, type, status, error, record, origin)
                        VALUES (:id, :tenantId, :eventId, :type, :status, :error, :record, :origin)
                        ON CONFLICT DO NOTHING
                        """)
                .param("id", UUID.randomUUID().toString())
                .param("tenantId", owner)
                .param("eventId", id)
                .param("type", kind)
                .param("status", DeadLetter.FAILED)
                .param("error", "unreadable: " + reason)
                .param("record", record)
                .param("origin", origin)
                .update());
    }

    /**
     * A record that is not the command side's ({@link CloudEventReader.Unverified}). Nothing it claims is believed,
     * its tenant least of all: the letter is for platform admins only, and blocks no aggregate.
     */
    void unverified(String record, String reason, String origin) {
        CloudEventReader.Claims claims = reader.claims(record);
        transactions.project(() -> jdbc.sql("""
                        INSERT INTO dead_letters (id, tenant_id, event_id, type, status, error, record, origin)
                        VALUES (:id, NULL, NULL, :type, :status, :error, :record, :origin)
                        """)
                .param("id", UUID.randomUUID().toString())
                .param("type", claims.type())
                .param("status", DeadLetter.FAILED)
                .param("error", truncated("unverified: " + reason))
                .param("record", record)
                .param("origin", origin)
                .update());
    }

    /** Inside a projector transaction holding the tenant's lock: the first letter of the aggregate. */
    Optional<DeadLetter> head(String tenantId, String aggregateId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM dead_letters WHERE tenant_id = :tenantId"
                        + " AND aggregate_id = :aggregateId ORDER BY sequence, position LIMIT 1")
                .param("tenantId", tenantId)
                .param("aggregateId", aggregateId)
                .query(DeadLetters::letter)
                .optional();
    }

    long remaining(String tenantId, String aggregateId) {
        return jdbc.sql("SELECT count(*) FROM dead_letters WHERE tenant_id = :tenantId AND aggregate_id = :aggregateId")
                .param("tenantId", tenantId)
                .param("aggregateId", aggregateId)
                .query(Long.class)
                .single();
    }

    void remove(String id) {
        jdbc.sql("DELETE FROM dead_letters WHERE id = :id").param("id", id).update();
    }

    /** In a transaction of its own: the retry of {@code id} failed again. */
    void attemptFailed(String id, Throwable error) {
        attemptFailed(id, describe(error));
    }

    void attemptFailed(String id, String error) {
        transactions.project(() -> jdbc.sql("""
                        UPDATE dead_letters SET attempts = attempts + 1, last_attempt_at = now(), error = :error,
                                                status = :status
                        WHERE id = :id
                        """)
                .param("id", id)
                .param("error", error)
                .param("status", DeadLetter.FAILED)
                .update());
    }

    private static String truncated(String error) {
        return error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
    }

    /** The root cause in one line, short: what an operator needs to find the bug, no stack trace. */
    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null
                ? ""
                : root.getMessage().lines().findFirst().orElse("");
        String text = root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    private static DeadLetter letter(ResultSet rs, int row) throws SQLException {
        OffsetDateTime lastAttempt = rs.getObject("last_attempt_at", OffsetDateTime.class);
        return new DeadLetter(
                rs.getString("id"),
                rs.getString("tenant_id"),
                rs.getString("aggregate_id"),
                rs.getObject("sequence", Long.class),
                rs.getObject("position", Long.class),
                rs.getString("event_id"),
                rs.getString("type"),
                rs.getString("status"),
                rs.getString("error"),
                rs.getInt("attempts"),
                rs.getString("origin"),
                rs.getObject("enqueued_at", OffsetDateTime.class).toInstant(),
                lastAttempt == null ? null : lastAttempt.toInstant(),
                rs.getString("record"));
    }
}
