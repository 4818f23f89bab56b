package io.tessera.query.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What a stream tells the browser about one event: enough to know what to re-read, nothing of its payload. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record LiveEvent(
        @JsonProperty("type") String type,
        @JsonProperty("subject") String subject,
        @JsonProperty("position") long position,
        @JsonProperty("time") String time) {}
