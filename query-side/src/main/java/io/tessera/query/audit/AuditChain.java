package io.tessera.query.audit;

import io.tessera.query.projection.LoggedEvent;
import io.tessera.query.tenancy.TenantTransactions;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The hash chain over each tenant's event log, which makes the audit trail tamper-evident: every row keeps
 * the hash of the tenant's previous row (by position) and its own,
 * {@code hash = hex(SHA-256(UTF-8(canonical form)))}, where the canonical form lists, one per line, as
 * {@code <length in UTF-16 units>:<value>} or {@code ~} for null: the format tag {@code tessera.audit.v1},
 * tenant id, position, event id, type, subject, sequence, time (ISO-8601 UTC as {@link Instant#toString()}),
 * actor, command id, data (PostgreSQL's jsonb text of it) and the previous hash. The first row's previous
 * hash is {@link #GENESIS}. Every value is the one stored, read back from the row, so the projection and
 * the verifier (or an auditor with psql and sha256sum) hash the same text.
 *
 * <p>{@link #extend} runs in the projection's transaction, under a per-tenant advisory lock, and hashes
 * every row after the last hashed one in position order: normally just the new row, and all of them for a tenant
 * whose log holds rows without a hash (logged before the chain existed). A row that arrived below the chain's
 * head would stay unhashed, and {@link #verify} reports it: the log of a tenant only ever grows at its end.
 */
@Component
public class AuditChain {

    static final String GENESIS = "0".repeat(64);
    static final String FORMAT = LoggedEvent.CHAIN_FORMAT;
    private static final int PAGE = 1000;
    private static final String COLUMNS = LoggedEvent.columns("e");

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;

    AuditChain(JdbcClient jdbc, TenantTransactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Chains the tenant's rows after its last hashed one; in the projection's (projector) transaction. */
    public void extend(String tenantId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:key))::text")
                .param("key", "tessera.audit-chain:" + tenantId)
                .query(String.class)
                .list();
        List<LoggedEvent> head = jdbc.sql("SELECT " + COLUMNS + """
                         FROM event_log e WHERE tenant_id = :tenantId AND hash IS NOT NULL
                        ORDER BY position DESC LIMIT 1
                        """)
                .param("tenantId", tenantId)
                .query(LoggedEvent::read)
                .list();
        String previous = head.isEmpty() ? GENESIS : head.get(0).hash();
        long after = head.isEmpty() ? Long.MIN_VALUE : head.get(0).position();
        List<LoggedEvent> unchained;
        do {
            unchained = page(tenantId, after);
            for (LoggedEvent row : unchained) {
                String hash = hash(row, previous);
                jdbc.sql("""
                                UPDATE event_log SET previous_hash = :previous, hash = :hash
                                WHERE tenant_id = :tenantId AND position = :position
                                """)
                        .param("previous", previous)
                        .param("hash", hash)
                        .param("tenantId", tenantId)
                        .param("position", row.position())
                        .update();
                previous = hash;
                after = row.position();
            }
        } while (unchained.size() == PAGE);
    }

    /** The verdict on a tenant's chain: ok, or the first link that does not hold. */
    record Verdict(boolean ok, long entries, String headHash, Long headPosition, Break broken) {}

    /**
     * The first broken link: {@code problem} is {@code previous_hash} (the row does not point at the hash of
     * the row before it: a row was removed, inserted or reordered), {@code hash} (the row's content no longer
     * gives its hash: it was edited) or {@code unchained} (a row without hash).
     */
    record Break(long position, String eventId, String problem, String expected, String found) {}

    /** Re-walks the chain in position order, in a read transaction of the tenant (API role, RLS). */
    Verdict verify(String tenantId) {
        return transactions.read(tenantId, () -> walk(tenantId));
    }

    private Verdict walk(String tenantId) {
        String expectedPrevious = GENESIS;
        long entries = 0;
        Long headPosition = null;
        long after = Long.MIN_VALUE;
        List<LoggedEvent> rows;
        do {
            rows = page(tenantId, after);
            for (LoggedEvent row : rows) {
                if (row.hash() == null) {
                    return broken(entries, row, "unchained", expectedPrevious, null);
                }
                if (!expectedPrevious.equals(row.previousHash())) {
                    return broken(entries, row, "previous_hash", expectedPrevious, row.previousHash());
                }
                String recomputed = hash(row, row.previousHash());
                if (!recomputed.equals(row.hash())) {
                    return broken(entries, row, "hash", recomputed, row.hash());
                }
                expectedPrevious = row.hash();
                headPosition = row.position();
                entries++;
                after = row.position();
            }
        } while (rows.size() == PAGE);
        return new Verdict(true, entries, entries == 0 ? null : expectedPrevious, headPosition, null);
    }

    private static Verdict broken(long entries, LoggedEvent row, String problem, String expected, String found) {
        return new Verdict(
                false, entries, null, null, new Break(row.position(), row.eventId(), problem, expected, found));
    }

    /** Rows after {@code after} without regard to their hash: {@code extend} only ever meets unhashed ones. */
    private List<LoggedEvent> page(String tenantId, long after) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM event_log e WHERE tenant_id = :tenantId AND position > :after
                        ORDER BY position LIMIT :limit
                        """)
                .param("tenantId", tenantId)
                .param("after", after)
                .param("limit", PAGE)
                .query(LoggedEvent::read)
                .list();
    }

    static String hash(LoggedEvent row, String previousHash) {
        return row.chainHash(previousHash);
    }
}
