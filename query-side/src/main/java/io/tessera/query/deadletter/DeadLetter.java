package io.tessera.query.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One record in the dead-letter store: {@code failed} (a projection refused it, or it could not be read)
 * or {@code waiting} (a later event of an aggregate whose earlier event failed). {@code record} is the
 * record as received; listings leave it out.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeadLetter(
        @JsonProperty("id") String id,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("aggregate_id") String aggregateId,
        @JsonProperty("sequence") Long sequence,
        @JsonProperty("position") Long position,
        @JsonProperty("event_id") String eventId,
        @JsonProperty("type") String type,
        @JsonProperty("status") String status,
        @JsonProperty("error") String error,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("origin") String origin,
        @JsonProperty("enqueued_at") Instant enqueuedAt,
        @JsonProperty("last_attempt_at") Instant lastAttemptAt,

        @JsonProperty("record") @JsonInclude(JsonInclude.Include.NON_NULL)
        String record) {

    public static final String FAILED = "failed";
    public static final String WAITING = "waiting";

    DeadLetter withoutRecord() {
        return new DeadLetter(
                id,
                tenantId,
                aggregateId,
                sequence,
                position,
                eventId,
                type,
                status,
                error,
                attempts,
                origin,
                enqueuedAt,
                lastAttemptAt,
                null);
    }
}
