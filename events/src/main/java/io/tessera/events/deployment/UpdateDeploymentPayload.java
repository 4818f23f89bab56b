package io.tessera.events.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The payload of an {@code UpdateDeployment} record (plus {@code id}) and the body of
 * {@code PATCH /api/deployments/{id}}; a null field stays unchanged. {@code status} is a string so that an
 * unknown status is a validation error with the allowed values, not a parse failure.
 */
public record UpdateDeploymentPayload(
        @JsonProperty("status") String status,
        @JsonProperty("url") String url) {}
