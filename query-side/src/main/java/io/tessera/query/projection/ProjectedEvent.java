package io.tessera.query.projection;

import java.time.Instant;

/**
 * One published event as the projections see it: its tenant (checked against the payload), the
 * aggregate it belongs to, its sequence in that aggregate, its global position, its time and its typed
 * payload; then the rest of the CloudEvent, as the event log keeps it: the event id, the type, who
 * acted, in which command, and the data exactly as published.
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
        String dataJson) {}
