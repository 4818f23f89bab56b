package io.tessera.query.eventlog;

import static io.tessera.query.paging.ListingQueries.utc;

import io.tessera.query.audit.AuditChain;
import io.tessera.query.projection.EventProjection;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.tenancy.BeforeCommit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Appends every event to {@code event_log} and links it into its tenant's hash chain ({@link AuditChain}).
 * A redelivered event (same position, same id, or the same place in its aggregate's stream) is dropped by
 * the table's unique keys: the first one stored stays, and the chain is not touched.
 */
@Component
class EventLogProjection implements EventProjection {

    private final JdbcClient jdbc;
    private final AuditChain chain;

    EventLogProjection(JdbcClient jdbc, AuditChain chain) {
        this.jdbc = jdbc;
        this.chain = chain;
    }

    @Override
    public void apply(ProjectedEvent event) {
        int inserted = jdbc.sql("""
                        INSERT INTO event_log
                            (tenant_id, position, event_id, type, subject, sequence, time, actor, command_id, data,
                             legacy_created_at, cloudevent)
                        VALUES (:tenantId, :position, :eventId, :type, :subject, :sequence, :time, :actor, :commandId,
                                CAST(:data AS jsonb), :legacyCreatedAt, :cloudEvent)
                        ON CONFLICT DO NOTHING
                        """)
                .param("tenantId", event.tenantId())
                .param("position", event.position())
                .param("eventId", event.eventId())
                .param("type", event.type())
                .param("subject", event.aggregateId())
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .param("actor", event.actor())
                .param("commandId", event.commandId())
                .param("data", event.dataJson())
                .param("legacyCreatedAt", event.legacyCreatedAt() == null ? null : utc(event.legacyCreatedAt()))
                .param("cloudEvent", event.cloudEvent())
                .update();
        if (inserted > 0) {
            extendBeforeCommit(event.tenantId());
        }
    }

    /**
     * The tenant's chain is extended once, just before the transaction commits, over every row it logged: a batch
     * of a tenant's events then costs one look at the chain's head instead of one per event.
     */
    private void extendBeforeCommit(String tenantId) {
        BeforeCommit.gather(this, tenantId, tenants -> tenants.forEach(chain::extend));
    }
}
