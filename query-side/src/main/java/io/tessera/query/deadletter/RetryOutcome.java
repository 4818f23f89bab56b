package io.tessera.query.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a retry did: how many records of the aggregate's queue it applied, in order, how many still wait,
 * and why the first one that failed again failed (null when the queue is empty).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RetryOutcome(
        @JsonProperty("applied") int applied,
        @JsonProperty("remaining") long remaining,
        @JsonProperty("error") String error) {}
