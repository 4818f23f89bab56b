package io.tessera.events.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;

public record DeploymentDeleted(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("last_status") DeploymentStatus lastStatus)
        implements DeploymentEvent {}
