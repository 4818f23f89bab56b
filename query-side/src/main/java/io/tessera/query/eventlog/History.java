package io.tessera.query.eventlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.query.projection.LoggedEvent;
import java.time.Instant;
import java.util.List;

/**
 * One aggregate's history: all its events in sequence order, and its state as of {@code as_of}, folded
 * from the events that had happened by then (null if it did not exist yet).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record History<S>(
        @JsonProperty("id") String id,
        @JsonProperty("as_of") Instant asOf,
        @JsonProperty("state") S state,
        @JsonProperty("events") List<LoggedEvent> events) {}
