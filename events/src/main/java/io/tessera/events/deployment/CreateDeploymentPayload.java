package io.tessera.events.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The payload of a {@code CreateDeployment} record on {@code tessera.commands}, and the body of
 * {@code POST /api/deployments}: one shape for both, so a Kafka producer and an HTTP client send the same JSON.
 */
public record CreateDeploymentPayload(
        @JsonProperty("project_name") String projectName,
        @JsonProperty("url") String url) {}
