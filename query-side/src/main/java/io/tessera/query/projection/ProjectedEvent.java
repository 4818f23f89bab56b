package io.tessera.query.projection;

import java.time.Instant;

/**
 * One published event as the projections see it: its tenant (checked against the payload), the
 * aggregate it belongs to, its sequence in that aggregate, its global position and its time.
 */
public record ProjectedEvent(
        String tenantId, String aggregateId, long sequence, long position, Instant time, Object data) {}
