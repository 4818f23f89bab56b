package io.tessera.events.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A command of the tenant was refused: which command ({@code command_type}, e.g. {@code CreateDeployment}),
 * about which resource ({@code resource_type} {@code deployment}, {@code resource_id} when the command named
 * one), and why ({@code code} as in the error envelope, {@code reason} its message). Not an aggregate's
 * event: it is stored on its own after the command's transaction, and the actor and command id travel as
 * on every event (CloudEvents extensions {@code actor}, {@code commandid}).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CommandRejected(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("command_id") String commandId,
        @JsonProperty("command_type") String commandType,
        @JsonProperty("resource_type") String resourceType,
        @JsonProperty("resource_id") String resourceId,
        @JsonProperty("code") String code,
        @JsonProperty("reason") String reason) {}
