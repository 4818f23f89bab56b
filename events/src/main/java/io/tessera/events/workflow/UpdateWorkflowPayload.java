package io.tessera.events.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The payload of an {@code UpdateWorkflow} record (plus {@code id}) and the body of
 * {@code PATCH /api/workflows/{id}}; a null field stays unchanged.
 */
public record UpdateWorkflowPayload(
        @JsonProperty("name") String name,
        @JsonProperty("status") String status,
        @JsonProperty("config") Object config) {}
