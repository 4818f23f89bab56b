package io.tessera.query.projection;

import java.time.Instant;

/**
 * One published event as the projections see it: its tenant (checked against the payload), the
 * aggregate it belongs to, its sequence in that aggregate, its global position, its time and its typed
 * payload; then the rest of the CloudEvent, as the event log keeps it: the event id, the type, who
 * acted, in which command, and the data exactly as published; for an imported resource's creation, the
 * created_at it had in the old system ({@code legacycreatedat}, set only in the command side's import mode); and
 * the record as received, signature included, which the event log keeps for offline verification.
 */
public record ProjectedEvent(
        String tenantId,
        String aggregateId,
        long sequence,
        long position,
        Instant time,
        Object data,
        String eventId,
        String type,
        String actor,
        String commandId,
        String dataJson,
        Instant legacyCreatedAt,
        String cloudEvent) {

    public ProjectedEvent(
            String tenantId,
            String aggregateId,
            long sequence,
            long position,
            Instant time,
            Object data,
            String eventId,
            String type,
            String actor,
            String commandId,
            String dataJson,
            Instant legacyCreatedAt) {
        this(
                tenantId,
                aggregateId,
                sequence,
                position,
                time,
                data,
                eventId,
                type,
                actor,
                commandId,
                dataJson,
                legacyCreatedAt,
                null);
    }

    public ProjectedEvent(
            String tenantId,
            String aggregateId,
            long sequence,
            long position,
            Instant time,
            Object data,
            String eventId,
            String type,
            String actor,
            String commandId,
            String dataJson) {
        this(tenantId, aggregateId, sequence, position, time, data, eventId, type, actor, commandId, dataJson, null);
    }

    /** When the resource was created: the old system's time for an imported one, else the event's time. */
    public Instant createdAt() {
        return legacyCreatedAt != null ? legacyCreatedAt : time;
    }
}
