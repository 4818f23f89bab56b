package io.tessera.events.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.events.OlderVersion;

/**
 * {@code tessera.deployment.created.v1}: the display name was {@code project_name}. Version 2 calls it
 * {@code name}, as workflows do, so one name field serves every resource in the log.
 */
public record DeploymentCreatedV1(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("project_name") String projectName,
        @JsonProperty("url") String url,
        @JsonProperty("status") DeploymentStatus status)
        implements OlderVersion {

    @Override
    public DeploymentCreated nextVersion() {
        return new DeploymentCreated(tenantId, deploymentId, projectName, url, status);
    }
}
