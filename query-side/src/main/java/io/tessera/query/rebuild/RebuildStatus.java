package io.tessera.query.rebuild;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;

/**
 * The latest rebuild of one read table: {@code idle} (never rebuilt), {@code building} (replaying the event
 * log into the shadow table), {@code catching_up} (replaying what arrived meanwhile), {@code switching}
 * (under the lock, last events, then the swap), {@code done} or {@code failed}. {@code tenant_id} is the one
 * tenant rebuilt, null for the whole table; the rate is events replayed per second of the whole run;
 * {@code events_skipped} counts logged events the projection refused (the live consumer dead-letters such an
 * event, so the read table never had it either).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RebuildStatus(
        @JsonProperty("name") String name,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("state") String state,
        @JsonProperty("events_replayed") long eventsReplayed,
        @JsonProperty("events_skipped") long eventsSkipped,
        @JsonProperty("events_total") long eventsTotal,
        @JsonProperty("events_per_second") Double eventsPerSecond,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("error") String error) {

    public static final String IDLE = "idle";
    public static final String BUILDING = "building";
    public static final String CATCHING_UP = "catching_up";
    public static final String SWITCHING = "switching";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    static RebuildStatus idle(String name) {
        return new RebuildStatus(name, null, IDLE, 0, 0, 0, null, null, null, null, null);
    }

    static RebuildStatus of(
            String name,
            String tenantId,
            String state,
            long replayed,
            long skipped,
            long total,
            Instant startedAt,
            Instant updatedAt,
            Instant finishedAt,
            String error) {
        Instant end = finishedAt != null ? finishedAt : updatedAt;
        Double rate = null;
        if (startedAt != null && end != null) {
            long micros = Duration.between(startedAt, end).toNanos() / 1000;
            rate = micros <= 0 ? null : Math.round(replayed * 1e7 / micros) / 10.0;
        }
        return new RebuildStatus(
                name, tenantId, state, replayed, skipped, total, rate, startedAt, updatedAt, finishedAt, error);
    }

    public boolean running() {
        return state.equals(BUILDING) || state.equals(CATCHING_UP) || state.equals(SWITCHING);
    }
}
