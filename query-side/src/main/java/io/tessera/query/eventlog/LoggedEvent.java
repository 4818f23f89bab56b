package io.tessera.query.eventlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * One event of the log as the API shows it; {@code data} is the published JSON as PostgreSQL keeps it (jsonb text,
 * passed through as it is: the audit chain hashes that text); {@code previous_hash} and {@code hash} are its links
 * in the tenant's chain; {@code cloudevent} the CloudEvent as the command side signed it (null for events logged
 * before it was kept). With them, an export is checked offline: {@code ./tessera verify}.
 */
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
        @JsonProperty("data") @JsonRawValue String data,
        @JsonProperty("previous_hash") String previousHash,
        @JsonProperty("hash") String hash,
        @JsonProperty("cloudevent") @JsonRawValue String cloudEvent) {}
