package io.tessera.events.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;

public record DeploymentUrlChanged(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("url") String url)
        implements DeploymentEvent {}
