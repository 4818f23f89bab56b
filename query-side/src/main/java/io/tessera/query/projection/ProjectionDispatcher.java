package io.tessera.query.projection;

import io.tessera.query.cache.QueryCache;
import io.tessera.query.tenancy.TenantTransactions;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies one record: every projection and the tenant's applied position in one transaction, as the
 * projector role, which may write the rows of every tenant; nothing of a tenant offboarded before. Database failures propagate, so the record
 * is retried; a record that cannot be read is skipped.
 */
@Component
class ProjectionDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ProjectionDispatcher.class);

    private final CloudEventReader reader;
    private final List<EventProjection> projections;
    private final TenantTransactions transactions;
    private final JdbcClient jdbc;
    private final AppliedPositions positions;
    private final QueryCache cache;
    private final ProjectionMetrics metrics;

    ProjectionDispatcher(
            JsonMapper jsonMapper,
            List<EventProjection> projections,
            TenantTransactions transactions,
            JdbcClient jdbc,
            AppliedPositions positions,
            QueryCache cache,
            ProjectionMetrics metrics) {
        this.cache = cache;
        this.metrics = metrics;
        this.reader = new CloudEventReader(jsonMapper);
        this.projections = List.copyOf(projections);
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.positions = positions;
    }

    /** Returns whether the record was applied (false: skipped as unreadable). */
    boolean dispatch(String json, Instant recordTime, String origin) {
        CloudEventReader.Outcome outcome = reader.read(json, recordTime);
        if (outcome instanceof CloudEventReader.Unreadable unreadable) {
            log.warn("Skipping event record {}: {}", origin, unreadable.reason());
            metrics.skipped();
            return false;
        }
        ProjectedEvent event = ((CloudEventReader.Readable) outcome).event();
        try (MDC.MDCCloseable tenant = MDC.putCloseable("tenant_id", event.tenantId());
                MDC.MDCCloseable command = MDC.putCloseable("command_id", event.commandId())) {
            transactions.project(() -> {
                if (!offboarded(event.tenantId())) {
                    projections.forEach(projection -> projection.apply(event));
                }
                advancePosition(event);
            });
            metrics.applied(event);
            log.debug("Applied {} at position {}", event.type(), event.position());
        }
        // This instance's cached answers of the tenant go now that the change is committed; every instance
        // (this one too) also evicts when its invalidation consumer reads the event (io.tessera.query.cache).
        cache.evictTenant(event.tenantId(), event.position());
        positions.signalApplied();
        return true;
    }

    /** An offboarded tenant's rows are gone; a redelivered event of it must not bring one back. */
    private boolean offboarded(String tenantId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = :tenantId AND status = 'offboarded')")
                .param("tenantId", tenantId)
                .query(Boolean.class)
                .single();
    }

    private void advancePosition(ProjectedEvent event) {
        jdbc.sql("""
                        INSERT INTO projection_positions (tenant_id, position, updated_at)
                        VALUES (:tenantId, :position, now())
                        ON CONFLICT (tenant_id) DO UPDATE
                        SET position = GREATEST(projection_positions.position, EXCLUDED.position),
                            updated_at = now()
                        """)
                .param("tenantId", event.tenantId())
                .param("position", event.position())
                .update();
    }
}
