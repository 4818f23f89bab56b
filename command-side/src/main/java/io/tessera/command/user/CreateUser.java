package io.tessera.command.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.events.user.Role;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateUser(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("user_id") @TargetAggregateIdentifier String userId,
        @JsonProperty("email") String email,
        @JsonProperty("role") Role role) {}
