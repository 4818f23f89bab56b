package io.tessera.query.deadletter;

import io.tessera.query.projection.CloudEventReader;
import io.tessera.query.projection.DeadLetterQueue;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.ProjectionFailures;
import io.tessera.query.projection.TenantProjectionLock;
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
public class DeadLetters implements DeadLetterQueue {

    private static final String COLUMNS = "id, tenant_id, aggregate_id, sequence, position, event_id, type, status,"
            + " error, attempts, origin, enqueued_at, last_attempt_at, record";
    private static final int MAX_ERROR_LENGTH = 500;

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final CloudEventReader reader;
    private final TenantProjectionLock lock;

    DeadLetters(JdbcClient jdbc, TenantTransactions transactions, CloudEventReader reader, TenantProjectionLock lock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.lock = lock;
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
        lock.lock(tenantId);
    }

    @Override
    public boolean blocked(String tenantId, String aggregateId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM dead_letters WHERE tenant_id = :tenantId"
                        + " AND aggregate_id = :aggregateId)")
                .param("tenantId", tenantId)
                .param("aggregateId", aggregateId)
                .query(Boolean.class)
                .single();
    }

    @Override
    public void queueBehind(ProjectedEvent event, String record, String origin) {
        enqueue(event, record, origin, DeadLetter.WAITING, null);
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

    @Override
    public void failed(ProjectedEvent event, String record, String origin, Throwable error) {
        transactions.project(() -> {
            lockTenant(event.tenantId());
            enqueue(event, record, origin, DeadLetter.FAILED, ProjectionFailures.describe(error));
        });
    }

    @Override
    public void unreadable(String record, String reason, String origin) {
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

    @Override
    public void unverified(String record, String reason, String origin) {
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
        attemptFailed(id, ProjectionFailures.describe(error));
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
