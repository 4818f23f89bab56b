package io.tessera.events.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;

public record DeploymentCreated(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("project_name") String projectName,
        @JsonProperty("url") String url,
        @JsonProperty("status") DeploymentStatus status) {}
