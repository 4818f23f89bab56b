package io.tessera.command.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DeleteUser(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("user_id") @TargetAggregateIdentifier String userId) {}
