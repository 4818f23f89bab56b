package io.tessera.events.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code tessera.deployment.created.v2}. The project's display name is {@code name} in the JSON since
 * version 2 ({@link DeploymentCreatedV1} had {@code project_name}); the HTTP body and the read model keep
 * {@code project_name}.
 */
public record DeploymentCreated(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("name") String projectName,
        @JsonProperty("url") String url,
        @JsonProperty("status") DeploymentStatus status)
        implements DeploymentEvent {}
