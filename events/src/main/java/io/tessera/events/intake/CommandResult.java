package io.tessera.events.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The one answer to a {@link CommandEnvelope}, keyed by command id on {@code tessera.command-results}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CommandResult(
        @JsonProperty("command_id") String commandId,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("status") Status status,
        @JsonProperty("id") String id,
        @JsonProperty("position") Long position,
        @JsonProperty("error") Error error) {

    public enum Status {
        @JsonProperty("accepted")
        ACCEPTED,
        @JsonProperty("rejected")
        REJECTED
    }

    public record Error(
            @JsonProperty("code") String code,
            @JsonProperty("message") String message) {}

    public static CommandResult accepted(String commandId, String tenantId, String id, long position) {
        return new CommandResult(commandId, tenantId, Status.ACCEPTED, id, position, null);
    }

    public static CommandResult rejected(String commandId, String tenantId, String code, String message) {
        return new CommandResult(commandId, tenantId, Status.REJECTED, null, null, new Error(code, message));
    }
}
