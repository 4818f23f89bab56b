package io.tessera.query.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Who did what, when, with what outcome. {@code action} is the event type without prefix and version
 * ({@code deployment.created}), or for a rejected command its type ({@code UpdateDeployment}) with
 * {@code error_code} and {@code reason}; {@code position} links the entry to {@code GET /api/events};
 * {@code previous_hash} and {@code hash} are its links in the tenant's chain ({@code GET /api/audit/verify}).
 * An administrative act of the query side (a rebuild, a dead-letter retry) has the tenant's applied position when
 * it was done, no command id and no hashes; {@code entryOrder} orders it after the event of that position.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record AuditEntry(
        @JsonProperty("position") long position,
        @JsonProperty("time") Instant time,
        @JsonProperty("actor") String actor,
        @JsonProperty("action") String action,
        @JsonProperty("resource_type") String resourceType,
        @JsonProperty("resource_id") String resourceId,
        @JsonProperty("command_id") String commandId,
        @JsonProperty("outcome") String outcome,
        @JsonProperty("error_code") String errorCode,
        @JsonProperty("reason") String reason,
        @JsonProperty("previous_hash") String previousHash,
        @JsonProperty("hash") String hash,
        @JsonIgnore long entryOrder) {

    AuditEntry withResourceId(String opened) {
        return new AuditEntry(
                position,
                time,
                actor,
                action,
                resourceType,
                opened,
                commandId,
                outcome,
                errorCode,
                reason,
                previousHash,
                hash,
                entryOrder);
    }
}
