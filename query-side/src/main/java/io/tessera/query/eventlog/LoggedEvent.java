package io.tessera.query.eventlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/** One event of the log as the API shows it; {@code data} is the published JSON, passed through as it is. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record LoggedEvent(
        @JsonProperty("position") long position,
        @JsonProperty("id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("subject") String subject,
        @JsonProperty("sequence") long sequence,
        @JsonProperty("time") Instant time,
        @JsonProperty("actor") String actor,
        @JsonProperty("command_id") String commandId,
        @JsonProperty("data") @JsonRawValue String data) {}
