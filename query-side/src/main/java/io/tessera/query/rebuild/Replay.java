package io.tessera.query.rebuild;

import io.tessera.query.projection.CloudEventReader;
import io.tessera.query.projection.LoggedEvent;
import io.tessera.query.tenancy.TenantTransactions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One rebuild's replay of {@code event_log} into the shadow, in chunks of {@value #CHUNK} events per projector
 * transaction, ordered by tenant and position, through the very projection the live consumer uses; and its place in
 * the log: per tenant, the highest position replayed (within a tenant, the log grows in position order: one writer
 * per tenant on the command side, one partition per tenant on the way).
 */
final class Replay {

    static final int CHUNK = 1000;

    private static final String NOT_OFFBOARDED =
            " AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = e.tenant_id AND t.status = 'offboarded')";

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final ShadowWrites writes;
    final String name;
    final RebuildableProjection projection;
    final String shadow;
    final String tenantId;
    final Map<String, Long> watermarks = new LinkedHashMap<>();
    String lastTenant = "";
    long lastPosition = Long.MIN_VALUE;
    long replayed;
    long skipped;
    long total;

    Replay(
            JdbcClient jdbc,
            TenantTransactions transactions,
            CloudEventReader reader,
            String name,
            RebuildableProjection projection,
            String tenantId) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.name = name;
        this.projection = projection;
        this.shadow = ShadowSchemas.PREFIX + name;
        this.tenantId = tenantId;
        this.writes = new ShadowWrites(jdbc, transactions, reader, name, projection, shadow);
    }

    /** How many events the replay has ahead of it, for the progress shown. */
    long countEvents() {
        return transactions.projecting(() -> jdbc.sql("SELECT count(*) FROM event_log e WHERE "
                        + (tenantId == null ? "TRUE" : "e.tenant_id = :tenantId") + NOT_OFFBOARDED)
                .param("tenantId", tenantId)
                .query(Long.class)
                .single());
    }

    /** The next chunk in (tenant, position) order; false when the log is through. */
    boolean chunk() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("rebuild interrupted");
        }
        List<LoggedEvent> rows = transactions.projecting(() -> jdbc.sql("SELECT " + LoggedEvent.columns("e")
                        + " FROM event_log e WHERE (e.tenant_id, e.position) > (:lastTenant, :lastPosition)"
                        + (tenantId == null ? "" : " AND e.tenant_id = :tenantId")
                        + NOT_OFFBOARDED + " ORDER BY e.tenant_id, e.position LIMIT " + CHUNK)
                .param("lastTenant", lastTenant)
                .param("lastPosition", lastPosition)
                .param("tenantId", tenantId)
                .query(LoggedEvent::read)
                .list());
        replay(rows);
        if (!rows.isEmpty()) {
            LoggedEvent last = rows.get(rows.size() - 1);
            lastTenant = last.tenantId();
            lastPosition = last.position();
        }
        return rows.size() == CHUNK;
    }

    /** The events logged past each tenant's watermark, at most a chunk. */
    List<LoggedEvent> pastWatermarks() {
        String tenants = String.join(",", watermarks.keySet());
        String positions = watermarks.values().stream().map(String::valueOf).collect(Collectors.joining(","));
        return jdbc.sql("SELECT " + LoggedEvent.columns("e") + " FROM event_log e"
                        + " LEFT JOIN unnest(string_to_array(:tenants, ','),"
                        + " CAST(string_to_array(:positions, ',') AS bigint[])) AS w(tenant_id, position)"
                        + " ON w.tenant_id = e.tenant_id"
                        + " WHERE e.position > COALESCE(w.position, -1)"
                        + (tenantId == null ? "" : " AND e.tenant_id = :tenantId")
                        + NOT_OFFBOARDED + " ORDER BY e.tenant_id, e.position LIMIT " + CHUNK)
                .param("tenants", tenants)
                .param("positions", positions)
                .param("tenantId", tenantId)
                .query(LoggedEvent::read)
                .list();
    }

    int catchUpRound() {
        List<LoggedEvent> rows = transactions.projecting(this::pastWatermarks);
        replay(rows);
        return rows.size();
    }

    /**
     * Inside the switch's transaction (the live writers held off by its lock): everything past the
     * watermarks, however many rounds it takes; each event behind a savepoint, so that one the projection
     * refuses is skipped without aborting the switch.
     */
    void catchUpAll() {
        List<LoggedEvent> rows;
        do {
            rows = pastWatermarks();
            for (LoggedEvent row : rows) {
                replayed(row, writes.applyBehindSavepoint(row));
            }
        } while (rows.size() == CHUNK);
    }

    private void replay(List<LoggedEvent> rows) {
        List<Boolean> applied = writes.applyChunk(rows);
        for (int i = 0; i < rows.size(); i++) {
            replayed(rows.get(i), applied.get(i));
        }
    }

    private void replayed(LoggedEvent row, boolean applied) {
        watermarks.merge(row.tenantId(), row.position(), Math::max);
        replayed++;
        if (!applied) {
            skipped++;
        }
    }
}
