package io.tessera.command.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DeleteDeployment(
        @JsonProperty("tenant_id") String tenantId,

        @JsonProperty("deployment_id") @TargetAggregateIdentifier
        String deploymentId) {}
