package io.tessera.command.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.events.deployment.DeploymentStatus;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Either field may be null: null means unchanged. */
public record UpdateDeployment(
        @JsonProperty("tenant_id") String tenantId,

        @JsonProperty("deployment_id") @TargetAggregateIdentifier
        String deploymentId,

        @JsonProperty("status") DeploymentStatus status,
        @JsonProperty("url") String url) {}
