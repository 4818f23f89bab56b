package io.tessera.events.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;

public record DeploymentStatusChanged(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("from") DeploymentStatus from,
        @JsonProperty("to") DeploymentStatus to)
        implements DeploymentEvent {}
